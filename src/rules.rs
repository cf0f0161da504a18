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
}

impl Rule {
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }
    pub fn code(self) -> &'static str {
        self.info().code
    }
    pub fn severity(self) -> Severity {
        self.info().severity
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
