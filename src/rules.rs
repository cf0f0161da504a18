//! The rule registry: every diagnostic code, its stable name, severity and documentation.
//! The README's rule table is generated from this list (`cargo run --bin gen-types -- --rules-md`)
//! and a test keeps the two in sync.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Documentation of one rule, as returned by `rules()`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleInfo {
    #[cfg_attr(feature = "ts", ts(type = "RuleCode"))]
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub help: &'static str,
    /// The rule's documentation: its row in the README's rule table (SARIF `helpUri`).
    pub docs: &'static str,
}

/// Where the rule table lives; each rule's row has the anchor of its code.
pub const DOCS_BASE: &str = "https://github.com/spiderendpoint/spiderendpoint#";

macro_rules! rules {
    ($( $variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal, $help:literal; )*) => {
        /// Every diagnostic the engine can produce.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule { $( $variant, )* }

        pub const RULES: &[RuleInfo] = &[
            $( RuleInfo { code: $code, rule: $name, severity: Severity::$sev, summary: $summary, help: $help, docs: concat!("https://github.com/spiderendpoint/spiderendpoint#", $code) }, )*
        ];

        impl Rule {
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];
            // Code, name and severity apart from RULES, so that validation does not link the summaries
            // and help texts (only `rules()` needs them): the page's first wasm module stays smaller.
            const CODES: &'static [&'static str] = &[ $( $code, )* ];
            const NAMES: &'static [&'static str] = &[ $( $name, )* ];
            const SEVERITIES: &'static [Severity] = &[ $( Severity::$sev, )* ];
        }
    };
}

rules! {
    // --- the input and the YAML itself -------------------------------------------------------
    InputTooLarge = "SE001", "input-too-large", Error,
        "The input is larger than the size budget.",
        "Inputs above `maxBytes` (default 32 MiB) are refused without parsing, so that a CI run or the page never stalls. Split the file or raise the budget.";
    InvalidUtf8 = "SE002", "invalid-utf8", Error,
        "The input is not valid UTF-8.",
        "Kubernetes manifests are UTF-8. The diagnostic points at the first invalid byte; re-save the file as UTF-8.";
    YamlSyntax = "SE003", "yaml-syntax", Error,
        "The text is not valid YAML (or JSON).",
        "The YAML 1.2 parser stopped here. Documents before the error are still checked; the rest of the file is not.";
    ControlCharacter = "SE004", "control-character", Error,
        "A control character (such as NUL) that YAML forbids.",
        "YAML streams may not contain C0 control characters other than tab, LF and CR, nor DEL. Usually the file is binary or was corrupted.";
    TabIndentation = "SE005", "tab-indentation", Error,
        "A tab is used for indentation.",
        "YAML indentation must be spaces. The fix replaces each tab of the indentation with two spaces.";
    DuplicateKey = "SE006", "duplicate-key", Error,
        "The same key appears twice in one mapping.",
        "Strict field validation (kubectl's default) refuses duplicate keys; with `fieldValidation: \"warn\"` it is a warning, with \"ignore\" an info. kubectl's reader keeps the last value, and that is the one checked (with `yamlVersion: \"1.2\"`, the first).";
    ComplexKey = "SE007", "complex-key", Error,
        "A mapping or sequence is used as a key.",
        "Kubernetes objects are JSON; keys must be strings.";
    DepthLimit = "SE008", "depth-limit", Error,
        "Nesting deeper than the depth budget.",
        "Documents nested deeper than `maxDepth` (default 64) are refused; a SpiderEndpoint is at most 8 levels deep.";
    AliasLimit = "SE009", "alias-limit", Error,
        "Aliases expand to more nodes than the alias budget.",
        "Guards against \"billion laughs\" documents: alias expansion beyond `maxAliasNodes` (default 100,000 nodes) stops the parser.";
    NotAnObject = "SE010", "not-an-object", Warning,
        "A YAML document that is not a mapping, so not a Kubernetes object.",
        "The document is skipped. A stray scalar often means a broken indentation or a missing `---`.";
    Yaml11Spelling = "SE011", "yaml11-spelling", Warning,
        "A plain scalar that kubectl (YAML 1.1) and YAML 1.2 tools read differently.",
        "kubectl reads `yes`/`on`/`y` as true, `no`/`off`/`n` as false, `010` as 8 (octal) and `1_000` as 1000; editors, yq and the `yaml` npm package read YAML 1.2, where these are strings or other numbers. The engine checks kubectl's reading (option `yamlVersion`); the fix writes the spelling both read the same way.";
    KubectlRefuses = "SE012", "kubectl-refuses", Error,
        "kubectl cannot read this file: it stops before sending anything.",
        "`.inf` and `.nan` cannot be sent as JSON, a null key has no JSON key, a document that is a scalar or a sequence is not an object; kubectl splits the stream on `---` lines itself, so a directive (`%YAML`, `%TAG`), a `---` line with content after it and a stream that starts with `...` do not parse. The message gives kubectl's own error.";
    IgnoredByKubectl = "SE013", "ignored-by-kubectl", Warning,
        "A document kubectl never sends: it follows `...` without a `---` line.",
        "kubectl splits a file on `---` lines and reads one document from each part, so a document after a `...` end marker in the same part is dropped silently. The document is not checked; put `---` before it.";
    InvalidSuppression = "SE014", "invalid-suppression", Warning,
        "A suppression comment names a rule that does not exist, or a rule it cannot silence.",
        "`# spiderendpoint-disable-next-line CODE...` and `# spiderendpoint-disable-file CODE...` take rule codes (`SE313`) or names (`uid-not-uuid`); without any they silence every rule. Findings about the text itself (SE001-SE004, SE008, SE009) cannot be silenced: a file the reader cannot read cannot be vouched for.";

    // --- identifying the object -----------------------------------------------------------------
    KindTypo = "SE101", "kind-typo", Error,
        "A kind in the spiderpool.spidernet.io group that is almost SpiderEndpoint.",
        "The API server would answer \"no matches for kind\". The fix spells it `SpiderEndpoint`.";
    UnknownApiVersion = "SE102", "unknown-api-version", Error,
        "A SpiderEndpoint with an apiVersion that no Spiderpool release served.",
        "SpiderEndpoint was served as `spiderpool.spidernet.io/v1` (Spiderpool <= 0.3) and `spiderpool.spidernet.io/v2beta1` (>= 0.4). v2beta2/v2 were never released.";
    VersionNotServed = "SE103", "version-not-served", Error,
        "The apiVersion is not served by the Spiderpool release checked against.",
        "Each Spiderpool release serves exactly one version of the CRD. Convert the document (`spiderendpoint convert --to ...`) or check against another release.";
    DeprecatedApiVersion = "SE104", "deprecated-api-version", Warning,
        "A v1 SpiderEndpoint: only Spiderpool <= 0.3 serves it.",
        "The document is checked against the v1 schema of Spiderpool 0.3.7. Spiderpool 0.4 and later serve only v2beta1 and shipped no converter; use `spiderendpoint convert --to v2beta1`.";
    MissingTypeMeta = "SE105", "missing-type-meta", Error,
        "apiVersion or kind is missing or not a string.",
        "kubectl needs both to route the object.";
    InvalidList = "SE106", "invalid-list", Error,
        "A List whose `items` is missing or not an array.",
        "`kind: List` and `kind: SpiderEndpointList` carry their objects in `items`.";
    NoTypeMeta = "SE107", "no-type-meta", Info,
        "A document without `apiVersion` or `kind`: skipped (kubectl refuses it).",
        "kubectl stops at a document without `apiVersion` and `kind`. One that looks like a SpiderEndpoint (a `status` with `current` or `ownerControllerType`, as pasted from the upstream docs) is an error (SE105) instead.";

    // --- the CRD schema, as the API server applies it --------------------------------------------
    RequiredField = "SE201", "required-field", Error,
        "A field the CRD requires is missing (or null, which the API server prunes).",
        "Checked against the CRD of the chosen era. An empty string satisfies \"required\".";
    WrongType = "SE202", "wrong-type", Error,
        "A value of the wrong JSON type.",
        "vlan must be an integer (not a string, not a float), cleanGateway a boolean, the other leaves strings. A quoted number or boolean gets a fix.";
    OutOfRange = "SE203", "out-of-range", Error,
        "A number outside the CRD's minimum/maximum (or outside int64).",
        "vlan is 0..4095 in Spiderpool 0.4-0.6.0 and v1, 0..4094 from 0.6.1/0.7.";
    UnknownField = "SE204", "unknown-field", Error,
        "A field the CRD does not define: `kubectl apply` (strict field validation, its default) refuses the object.",
        "With `fieldValidation: \"warn\"` (kubectl `--validate=warn`) it is a warning and the API server drops the field; with \"ignore\" an info (dropped silently). A near miss (different case, a typo) gets a did-you-mean and a fix.";
    NullValue = "SE205", "null-value", Info,
        "A null value: pruned by the API server (vlan: replaced by its default 0).",
        "Non-nullable fields set to null are removed before validation; a field with a default gets the default.";
    InvalidFormat = "SE206", "invalid-format", Error,
        "A string that does not match the CRD format (date-time).",
        "v1 `creationTime` is `format: date-time` (RFC 3339, e.g. 2022-07-29T08:54:12Z).";

    // --- how Spiderpool fills the object ---------------------------------------------------------
    InvalidIpAddress = "SE301", "invalid-ip-address", Error,
        "ipv4/ipv6 is not an address with a prefix length.",
        "Spiderpool stores the allocated address in CIDR notation of its pool subnet, e.g. `172.31.199.193/20`.";
    MissingPrefixLength = "SE302", "missing-prefix-length", Error,
        "ipv4/ipv6 is a bare address without the /prefix length.",
        "Readers split the value at `/`; Spiderpool always writes the pool subnet's prefix length.";
    IpFamilyMismatch = "SE303", "ip-family-mismatch", Error,
        "An IPv6 value in an IPv4 field (or the reverse).",
        "ipv4, ipv4Gateway and IPv4 routes carry IPv4; ipv6, ipv6Gateway and IPv6 routes carry IPv6.";
    InvalidGateway = "SE304", "invalid-gateway", Error,
        "A gateway that is not a bare IP inside the address's subnet (or is the address itself).",
        "Spiderpool copies the pool's `spec.gateway`, which the IPPool webhook requires to be an IP inside the pool subnet. A gateway written with a prefix gets a fix.";
    EmptyGateway = "SE305", "empty-gateway", Warning,
        "An empty gateway string.",
        "Spiderpool omits the gateway when the pool has none; `\"\"` appears only in very old v1 objects.";
    MissingPool = "SE306", "missing-pool", Warning,
        "An address without its pool name (ipv4 without ipv4Pool, ipv6 without ipv6Pool).",
        "Spiderpool writes the address and its pool together and reads the pool back whenever the address is present.";
    InvalidRoute = "SE307", "invalid-route", Error,
        "A route whose dst is not a CIDR, whose gw is not an IP, or whose families differ.",
        "Routes come from the pool or the Pod annotation: `dst` is a CIDR and `gw` a bare IP of the same family.";
    InvalidMac = "SE308", "invalid-mac", Error,
        "mac is not in the form aa:bb:cc:dd:ee:ff.",
        "Spiderpool's agent API uses the pattern ^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$.";
    DuplicateInterface = "SE309", "duplicate-interface", Error,
        "Two entries of status.current.ips name the same interface.",
        "Spiderpool keeps one entry per NIC (Spiderpool issue #2901 is this bug). `\"\"` (a NIC not yet named) may repeat.";
    InvalidInterfaceName = "SE310", "invalid-interface-name", Error,
        "Not a valid Linux interface name.",
        "At most 15 bytes, not `.` or `..`, without `/`, `:` or white space. `\"\"` is legal (a NIC not yet named).";
    InvalidObjectName = "SE311", "invalid-object-name", Error,
        "metadata.name is not a DNS-1123 subdomain, or metadata.namespace not a DNS-1123 label.",
        "The API server rejects such names. The endpoint is named after its Pod (or KubeVirt VM).";
    MissingName = "SE312", "missing-name", Error,
        "metadata.name is missing.",
        "Every object needs a name (or generateName).";
    UidNotUuid = "SE313", "uid-not-uuid", Warning,
        "status.current.uid is not a UUID.",
        "Spiderpool writes the Pod's UID and compares it on every operation; a non-UUID value will never match.";
    OwnerTypeNone = "SE314", "owner-type-none", Error,
        "ownerControllerType `None` in v2beta1.",
        "Spiderpool 0.4 renamed `None` to `Pod`; the upgrade guide tells users to patch it. The fix writes `Pod`.";
    DuplicateEndpoint = "SE315", "duplicate-endpoint", Error,
        "Two documents of the input define the same namespace/name.",
        "The second would replace the first when applied.";
    DuplicateIp = "SE316", "duplicate-ip", Error,
        "One IP claimed twice (by two endpoints or two NICs).",
        "The failure mode of Spiderpool issues #1187 and #2526: two Pods with one address.";
    InvalidResourceName = "SE317", "invalid-resource-name", Warning,
        "A node or IPPool name that is not a DNS-1123 subdomain.",
        "Nodes and SpiderIPPools are Kubernetes objects; such a name cannot refer to one.";
    RouteGatewayOutsideSubnet = "SE318", "route-gateway-outside-subnet", Warning,
        "A route's gw is outside every subnet of its interface.",
        "Spiderpool assigns a route to the NIC whose subnet contains its gateway; one that matches no subnet was not written by Spiderpool.";
    MissingStatus = "SE319", "missing-status", Warning,
        "The object has no status: it records no allocation.",
        "SpiderEndpoint has no spec; everything is in status. The CRD does not require it, but an endpoint without it is empty.";

    // --- normalize and convert (refusals leave the document unchanged) ----------------------------
    NoCurrent = "SE401", "no-current", Error,
        "A v1 object without status.current cannot become v2beta1.",
        "v2beta1 requires `status.current`; a v1 object without it records no allocation (v1 removed `current` on release). The converter does not guess one: the document is left unchanged.";
    VlanOutOfRangeForTarget = "SE402", "vlan-out-of-range-for-target", Error,
        "A vlan the target release does not accept.",
        "v1 and Spiderpool 0.4.0–0.6.0 allow vlan 0..4095; 0.6.1 and later allow 0..4094. Convert for an older release (`spiderpoolVersion`) or change the vlan first.";
    NoUidSource = "SE403", "no-uid-source", Error,
        "v2beta1 needs the Pod UID and the v1 object has no source for it.",
        "The uid is taken from the `metadata.ownerReferences` entry of kind Pod, which Spiderpool 0.3 wrote except for StatefulSet Pods, or from the Pod of the same namespace and name when the input holds it (a cluster export such as `kubectl get pods,spiderendpoints -A -o yaml`). Otherwise give the Pod's UID in the `spiderendpoint.io/lossless` annotation: `{\"apiVersion\":\"spiderpool.spidernet.io/v2beta1\",\"restore\":{\"/status/current/uid\":\"<pod uid>\"}}`.";
    MissingNode = "SE404", "missing-node", Error,
        "v2beta1 requires status.current.node and the v1 object has none.",
        "`node` was optional in v1 and is required in v2beta1; the node name cannot be derived from the object.";
    MissingOwnerType = "SE405", "missing-owner-type", Error,
        "v2beta1 requires status.ownerControllerType and the v1 object has none.",
        "Spiderpool 0.2 and later always wrote it (`None` for a Pod without controller); the converter does not guess one.";
    NoOwnerNameSource = "SE406", "no-owner-name-source", Error,
        "ownerControllerName is missing and cannot be derived.",
        "v2beta1 requires `ownerControllerName`. When v1 left it out it is derived from `metadata.name` (the Pod name; for a StatefulSet the name without its ordinal); without a name there is no source.";
    OwnerTypeNotInV1 = "SE407", "owner-type-not-in-v1", Warning,
        "An ownerControllerType a v1 agent never wrote.",
        "v1 agents recorded the Pod's direct owner (None, StatefulSet, DaemonSet, ReplicaSet, Job or Unknown); `Deployment`, `CronJob` and third-party kinds have no faithful v1 value and are kept as they are.";
    InvalidLosslessAnnotation = "SE408", "invalid-lossless-annotation", Warning,
        "The spiderendpoint.io/lossless annotation cannot be used.",
        "It must be a JSON object `{\"apiVersion\": ..., \"restore\": {pointer: value}, \"remove\": [pointer], \"was\": {pointer: value}}` written for the version being converted to. It is ignored (and replaced when converting with `lossless`).";
    RestoreConflict = "SE409", "restore-conflict", Warning,
        "A value kept by lossless mode was not restored because the field changed since.",
        "The annotation remembers what the converted field looked like; when the object was edited after the conversion, the edit wins and the kept value is dropped.";
    TransformFailed = "SE410", "transform-failed", Error,
        "The document could not be rewritten in place.",
        "An internal safeguard: after editing, every document is read back and compared with the intended object. This document is left unchanged; please report the input.";

    // --- audit: SpiderIPPool / SpiderSubnet / SpiderReservedIP against the webhooks (§1.4, §3) ------
    AuditInvalidSubnet = "SE501", "invalid-subnet", Error,
        "A pool's or subnet's spec.subnet is not a CIDR.",
        "The IPPool and Subnet webhooks require `spec.subnet` to be a CIDR of the object's family (`10.6.0.0/16`); an address item format is not accepted.";
    AuditIpVersionMismatch = "SE502", "ip-version-mismatch", Error,
        "spec.ipVersion does not match the family of spec.subnet.",
        "The mutating webhook fills `ipVersion` from `subnet`; the validating webhook rejects a pool or subnet whose `ipVersion` disagrees with it.";
    AuditInvalidRange = "SE503", "invalid-ip-range", Error,
        "An ips/excludeIPs item that is not an address or a range start-end of the family.",
        "Items are a single address (`10.6.0.2`) or an inclusive range (`10.6.0.2-10.6.0.10`) with start <= end, both of the object's family; CIDR notation is not an item format. Applies to SpiderIPPool, SpiderSubnet and SpiderReservedIP.";
    AuditRangeOutsideSubnet = "SE504", "range-outside-subnet", Error,
        "An ips/excludeIPs item outside spec.subnet.",
        "The webhooks require every item to lie inside the object's subnet.";
    AuditInvalidGateway = "SE505", "pool-gateway-invalid", Error,
        "A pool's or subnet's spec.gateway is not an address inside spec.subnet.",
        "The webhooks require the gateway to be an IP of the family inside the subnet.";
    AuditGatewayInIps = "SE506", "gateway-in-ips", Error,
        "The gateway lies inside spec.ips and is not excluded.",
        "From Spiderpool 0.5.0 the IPPool webhook rejects a gateway that the pool could hand out (\"conflicts with 'spec.gateway'\"); before, a pool could give its own gateway to a Pod (info with an older `spiderpoolVersion`).";
    AuditInvalidRoute = "SE507", "pool-route-invalid", Error,
        "A pool's or subnet's route with an invalid dst or gw, a default route, or a repeated dst.",
        "`dst` is a CIDR of the family and `gw` an address inside the subnet; from 0.4.1 the webhook also refuses the default route and repeated destinations.";
    AuditSubnetsOverlap = "SE508", "subnets-overlap", Error,
        "Two SpiderSubnets of one family overlap.",
        "The SpiderSubnet webhook rejects a subnet that overlaps another of the same family.";
    AuditMultipleDefaultPools = "SE509", "multiple-default-pools", Error,
        "Two default pools of one family, for a release that allows one.",
        "Spiderpool 0.4.0-rc3 – 0.6.0-rc0 allowed one `default: true` pool per IP version; 0.6.0-rc1 and later allow several (checked only when `spiderpoolVersion` names such a release).";

    AuditPodAffinityInvalid = "SE510", "pool-pod-affinity-invalid", Error,
        "A pool's podAffinity is not a valid, non-empty label selector (auto-created pools: only the app-* keys).",
        "From Spiderpool 0.6.0-rc0 the IPPool webhook validates `spec.podAffinity` as a Kubernetes label selector (qualified-name keys, label values, operators In/NotIn with values, Exists/DoesNotExist without) and rejects an empty one; an auto-created pool may only carry the five `ipam.spidernet.io/app-*` matchLabels and no matchExpressions. Info with an older `spiderpoolVersion`.";
    AuditPoolOutsideOwnerSubnet = "SE511", "pool-outside-owner-subnet", Error,
        "A pool controlled by a SpiderSubnet holds addresses outside that subnet's ips minus excludeIPs.",
        "With SpiderSubnet enabled (0.2.0+) the IPPool webhook follows the pool's controller ownerReference (else the `ipam.spidernet.io/owner-spider-subnet` label) and rejects a pool whose `ips − excludeIPs` is not inside the subnet's. An auto-created pool must also equal its `controlledIPPools` entry from 0.4.1: that is S2 (SE662), an error for such pools.";
    AuditSubnetPoolConflict = "SE512", "subnet-pool-conflict", Error,
        "A pool whose subnet differs from but overlaps a SpiderSubnet's, or a pool of the subnet's CIDR with addresses the subnet does not have.",
        "The SpiderSubnet webhook rejects a subnet that overlaps a pool of a different CIDR of its family, and one whose `ips − excludeIPs` does not hold every address of the pools of the same CIDR. Reported on the pool, the subnet as the related end; a pool the subnet controls is SE511 instead.";
    ReservedIpVersionUnknown = "SE513", "reserved-ip-version-unknown", Error,
        "A SpiderReservedIP without ipVersion whose family cannot be inferred from ips[0].",
        "The mutating webhook fills `spec.ipVersion` from the first item of `spec.ips`; without one (empty `ips`, or an invalid first item) the validating webhook rejects the object (\"is not generated correctly\"). Items of the other family are SE503.";

    // --- audit: invariants across the objects of one export (spiderpool-ippool.md §4.3) ----------
    AllocatedIpsUnreadable = "SE601", "allocated-ips-unreadable", Error,
        "P1: status.allocatedIPs does not parse as the era's records.",
        "v1: a map IP -> {containerID, interface, namespace, node, ownerControllerName, ownerControllerType, pod}; v2beta1: a JSON string of IP -> {pod: \"<ns>/<name>\", podUid} (plus `interface` from 0.4.0 – 0.8.1, an info after an upgrade). Duplicate JSON keys and keys not in Go's address form are flagged; the untagged March-2023 shape (`namespace`, `uid`) is a warning. Positions point into the JSON inside the YAML scalar.";
    RecordOutsideSubnet = "SE602", "record-outside-subnet", Error,
        "P2: an allocated address outside the pool's family or subnet.",
        "Every key of `allocatedIPs` must be an address of the pool's family inside `spec.subnet`.";
    RecordOutsidePool = "SE603", "record-outside-pool", Error,
        "P3: an allocated address not in the pool's ips minus excludeIPs.",
        "The webhook forbids removing an allocated address from a pool, so this means a webhook bypass or a bug.";
    AllocatedCountMismatch = "SE604", "allocated-count-mismatch", Error,
        "P4: status.allocatedIPCount differs from the number of records.",
        "An error from Spiderpool 0.9.7 / 1.0.0 (the count is re-derived on every allocation); a warning for older releases, whose count drifted (issues #1010, #1166, #3771).";
    TotalCountMismatch = "SE605", "total-count-mismatch", Warning,
        "P5: status.totalIPCount differs from ips minus excludeIPs, or allocated > total.",
        "The controller recomputes `totalIPCount` asynchronously (#1797).";
    RecordIsGateway = "SE606", "record-is-gateway", Warning,
        "P6: the pool's gateway is allocated to a Pod.",
        "Legal before Spiderpool 0.5.0 (info with an older `spiderpoolVersion`).";
    UidOnTwoRecords = "SE607", "pod-uid-on-two-records", Error,
        "P7: one Pod UID owns two records of one pool.",
        "The IP-exhaustion leak of #4295 (an error from 0.8.9 / 0.9.8 / 1.0.0, which reuse the address of a known UID; a warning before). Two NICs of one Pod served by the same pool are not flagged.";
    NonCanonicalRanges = "SE608", "non-canonical-ranges", Info,
        "P8: ips/excludeIPs not in the merged form, or a subnet that is not its network address.",
        "The mutating webhook rewrites both lists to sorted, merged ranges; a non-merged list means the object did not go through the webhook. A non-canonical subnet is an error from 0.9.2 when `spiderpoolVersion` says so.";
    TerminatingPool = "SE609", "terminating-pool", Info,
        "P9: a pool being deleted still holds records.",
        "Normal while the finalizer holds it (info); an error when the finalizer is gone but records remain.";
    PoolRecordCap = "SE610", "pool-record-cap", Info,
        "P10: a pool with more than 5000 records.",
        "The agent stops allocating from a pool at SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS (default 5000).";
    IpInTwoPools = "SE611", "ip-in-two-pools", Error,
        "X1: one address is a record key in two pools.",
        "Pools of one family cannot overlap through the webhook (#1203 shows how it happened anyway).";
    PoolsOverlap = "SE612", "pools-overlap", Error,
        "X2: two pools of one family share addresses or have different but overlapping subnets.",
        "The webhook rejects both (different overlapping CIDRs were not checked with SpiderSubnet enabled in 0.4 – 0.6).";
    AllocatedIpReserved = "SE613", "allocated-ip-reserved", Warning,
        "X3: an allocated address is reserved by a SpiderReservedIP.",
        "Legal when reserved after the allocation: the Pod keeps running but will not get the address back after a restart.";
    LeakedIp = "SE621", "leaked-ip", Error,
        "RP1: a pool record whose Pod does not exist (leaked IP).",
        "StatefulSet endpoints (the Pod may be between delete and recreate) and KubeVirt records (named after the VMI) are reported as unverifiable infos: the export has no StatefulSets or VMs.";
    RecordUidMismatch = "SE622", "record-uid-mismatch", Error,
        "RP2: a record's podUid (v1: containerID) differs from the Pod's (endpoint's).",
        "A stale record the GC releases. A restarting StatefulSet/KubeVirt Pod without podIPs yet is an info.";
    RecordOfDeadPod = "SE623", "record-of-dead-pod", Warning,
        "RP3: a record of a Pod that is completed, or terminating past its grace period.",
        "The reference time is the newest timestamp of the export (or `now`); StatefulSet/KubeVirt Pods are exempt.";
    RecordIpNotOnPod = "SE624", "record-ip-not-on-pod", Warning,
        "RP4: the record's address is not among the Pod's addresses.",
        "Checked against `status.podIPs` and the Multus network-status annotation, when the Pod has addresses.";
    RecordWithoutEndpoint = "SE631", "record-without-endpoint", Error,
        "RE1: a record of a live Pod that has no SpiderEndpoint.",
        "The GC does not repair this (#412, #2517): the Pod exists, so the record is kept and never released.";
    EndpointUidMismatch = "SE632", "endpoint-uid-mismatch", Error,
        "RE2: the endpoint's current.uid differs from the record's podUid.",
        "ReleaseIP frees a record only when the UIDs match, so this record is never released by CNI DEL.";
    RecordNotInEndpoint = "SE633", "record-not-in-endpoint", Error,
        "RE3: the Pod's endpoint does not list the record's address with this pool.",
        "\"allocatedIPs inconsistent with endpoint\". For 0.4.0 – 0.8.1 records the `interface` must match too (warning).";
    EndpointPoolMissing = "SE641", "endpoint-pool-missing", Error,
        "EP1: an endpoint names a pool that does not exist (or of the other family).",
        "Only checked when the input has pools at all.";
    StaleEndpoint = "SE642", "stale-endpoint", Error,
        "EP2: an endpoint address that its pool does not record for this Pod.",
        "The GC removes such endpoints only with `enableCleanOutdatedEndpoint` (off by default; #4867).";
    EndpointPoolMismatch = "SE643", "endpoint-pool-mismatch", Warning,
        "EP3: an endpoint address outside its pool's subnet, with another prefix length, or another gateway.",
        "The pool's gateway may have been edited after the allocation.";
    EndpointOwnerMismatch = "SE644", "endpoint-owner-mismatch", Error,
        "EP4: a stateless endpoint whose Pod is gone, has another UID, or whose ownerReference differs.",
        "An outdated endpoint blocks the new Pod of the same name (#3699, #4916); one whose Pod is gone should have been deleted by Kubernetes' GC.";
    StaticEndpoint = "SE645", "static-endpoint", Info,
        "EP5: a StatefulSet/KubeVirt endpoint without its Pod (unverifiable).",
        "Such endpoints outlive their Pod while the StatefulSet ordinal or the VM exists, which the export cannot show.";
    EndpointTerminating = "SE646", "endpoint-terminating", Info,
        "EP6: an endpoint being deleted (a release in progress).",
        "A warning when a pool still holds records for it.";
    EndpointAddressShared = "SE647", "endpoint-address-shared", Error,
        "EP7: one address in the endpoints of two Pods (or twice in one endpoint).",
        "The endpoint side of a duplicate IP (#1187, #2526). Duplicate interfaces inside one endpoint are SE309.";
    PodWithoutEndpoint = "SE651", "pod-without-endpoint", Warning,
        "PD1: a live Pod served by Spiderpool without a SpiderEndpoint.",
        "Which Pods Spiderpool serves is a heuristic offline: a Spiderpool annotation, or an address inside a pool's subnet.";
    PodsShareIp = "SE652", "pods-share-ip", Error,
        "PD2: two live Pods with one address.",
        "A KubeVirt live migration and a terminating Pod whose address was re-used are warnings. hostNetwork Pods are not compared.";
    PodIpNotRecorded = "SE653", "pod-ip-not-recorded", Error,
        "PD3: a Pod address inside a pool's subnet that the pool does not record for this Pod.",
        "\"IP in use but free in IPAM\": the state behind the conflicts of #3751 (PR #3778).";
    SubnetStatusUnreadable = "SE661", "subnet-status-unreadable", Error,
        "S1: status.controlledIPPools does not parse.",
        "v1: a map pool -> {ips}; v2beta1: a JSON string pool -> {ips, application?}.";
    SubnetEntryMismatch = "SE662", "subnet-entry-mismatch", Warning,
        "S2: a pool owned by a subnet is missing from its controlledIPPools, or its entry lists other addresses.",
        "Subnet status and pool spec diverged (#1520, #1527, #1692). An error for an auto-created pool from Spiderpool 0.4.1: the IPPool webhook requires its addresses to equal its entry.";
    SubnetCountMismatch = "SE663", "subnet-count-mismatch", Warning,
        "S3: a subnet's allocatedIPCount or totalIPCount is off.",
        "allocatedIPCount = addresses in all entries; totalIPCount = addresses of ips minus excludeIPs.";
    SubnetEntryInvalid = "SE664", "subnet-entry-invalid", Error,
        "S4: a controlledIPPools entry outside the subnet's addresses, or two entries overlapping.",
        "Entries are subsets of the subnet's total addresses and pairwise disjoint.";
    SubnetEntryOrphan = "SE665", "subnet-entry-orphan", Info,
        "S5: a controlledIPPools entry whose pool does not exist.",
        "Legal for an auto-pool pre-allocation while its application exists, which the export cannot show.";
    AuditIncomplete = "SE690", "audit-incomplete-input", Info,
        "The input lacks a kind some invariants need (no Pods, no pools, no endpoints).",
        "Those invariants are not checked; export all five kinds together: `kubectl get pods,spiderippools,spiderendpoints,spiderreservedips,spidersubnets -A -o yaml`.";
}

impl Rule {
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }
    /// The stable name (`RuleInfo::rule`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
    pub fn severity(self) -> Severity {
        Self::SEVERITIES[self as usize]
    }
}

/// The rule table in Markdown (for the README).
pub fn markdown_table() -> String {
    let mut out = String::from("| code | rule | severity | what it finds |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!("| <a id=\"{0}\"></a>{0} | `{1}` | {2} | {3} |\n", r.code, r.rule, r.severity.as_str(), r.summary));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_name_and_severity_are_the_rule_tables() {
        for r in Rule::ALL {
            assert_eq!((r.code(), r.name(), r.severity()), (r.info().code, r.info().rule, r.info().severity));
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let sorted = {
            let mut c = codes.clone();
            c.sort();
            c
        };
        assert_eq!(codes, sorted);
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        let mut names: Vec<_> = RULES.iter().map(|r| r.rule).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        assert_eq!(Rule::ALL.len(), RULES.len());
        assert_eq!(Rule::OwnerTypeNone.code(), "SE314");
        assert!(RULES.iter().all(|r| r.docs == format!("{DOCS_BASE}{}", r.code)));
    }

    #[test]
    fn readme_rule_table_is_current() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap_or_default();
        assert!(
            readme.contains(&markdown_table()),
            "README.md must contain the rule table; regenerate it with `cargo run --quiet --bin gen-types -- --rules-md`"
        );
    }
}
