// @ts-check
'use strict';
// The help texts: `spiderendpoint --help` and `spiderendpoint <command> --help`.

// How -o/--output and --write write a file (writeTarget in files.js).
const WRITING_HELP = `Writing files: a regular file is replaced atomically (a temporary file in the same directory, then a
rename; its mode, and its owner where the process may set it, are kept). A symlink is written through to
its target and stays a link. A file with several hard links is rewritten in place, so every link sees the
new content. Devices (/dev/null...) and FIFOs are written in place; "-" and /dev/stdout are standard output.
`;

// The options of validate, normalize and convert that say how the input is read (see readingOptions).
const READING_HELP = `      --field-validation MODE  what unknown fields and duplicate keys are, as kubectl apply --validate:
                               strict (default: errors, the API server refuses the object), warn
                               (warnings) or ignore (infos)
      --validate=MODE          kubectl's spelling of --field-validation: strict (or true), warn,
                               ignore (or false); a bare --validate is strict
      --yaml-version V         how plain scalars are read: 1.1 (default) as kubectl does (yes is true,
                               010 is 8), 1.2 as a YAML 1.2 consumer does (yq, editors, the yaml package)
`;

/** @type {Record<string, string>} */
const HELP = {
  main: `Usage: spiderendpoint <command> [options]

Validate, normalize and convert Spiderpool SpiderEndpoint documents (YAML or JSON).

Commands:
  validate [FILE|DIR|-]...        check documents; directories are searched for *.yaml, *.yml, *.json
  audit [FILE|DIR|-]...           check a cluster export: SpiderEndpoints against their pools, subnets,
                                  reserved IPs and Pods
  normalize [FILE|-]...           rewrite documents the way the API server stores them
  convert --to VERSION [FILE|-]...  convert between spiderpool.spidernet.io/v1 and v2beta1
  schema                          print the JSON Schema (draft-07) of a SpiderEndpoint
  rules                           list the diagnostic codes

Options:
  -h, --help       help for a command: spiderendpoint <command> --help
  -V, --version    print the version

Exit codes: 0 no errors, 1 errors found (or warnings with --strict / over --max-warnings),
            2 usage or I/O error.
`,
  audit: `Usage: spiderendpoint audit [options] [FILE|DIR|-]...

Audit a cluster export (kubectl get pods,spiderippools,spiderendpoints,spiderreservedips,spidersubnets
-A -o yaml): every object is checked against its release's schema and webhook rules, and the objects are
checked against each other (leaked and stale pool records, endpoints without Pods, addresses held twice,
counts that drift...). All files of one run are read together; a finding names both ends (the other one
as "(see file:line:col)"). The text format ends with a summary: per pool allocated/total and the leaked,
stale and conflicting addresses, per namespace the endpoints without Pods, and suggested repairs as
kubectl commands to review (never run by spiderendpoint). What an export cannot show (StatefulSet
replicas, VMs, controller settings) is reported as info, never as an error. Suppression comments work
as for validate, on the line where a finding is reported ("# spiderendpoint-disable-next-line SE621",
"# spiderendpoint-disable-file SE621"); a comment in the file of a finding's other end does not silence it.

Options:
  -f, --format FORMAT          text (default), json (with the summary as "audit"), sarif, github, junit
  -o, --output FILE            write the report to FILE ("-" for standard output)
      --spiderpool-version V   the Spiderpool release whose behaviour applies ("1.0", "v0.9.7"; default:
                               the newest release serving each object's apiVersion)
      --now TIME               the reference time for grace periods (RFC 3339; default: the newest
                               timestamp in the input)
      --max-bytes N            largest file read, in bytes (default 1 GiB; exports are large)
      --rule CODE=LEVEL        a rule's severity: off, info, warning or error (code or name; repeatable)
${READING_HELP}      --ignore PATTERN         skip files matching PATTERN (gitignore syntax; repeatable)
      --no-gitignore           read files that .gitignore excludes
      --strict                 warnings fail the run too
      --max-warnings N         fail the run when there are more than N warnings
  -q, --quiet                  list errors only
  -v, --verbose                list every object with its status
      --stdin-filename NAME    the name standard input is reported under
      --color, --no-color      force or disable colour (default: on a terminal, unless NO_COLOR is set)
  -h, --help                   this help

Exit codes: 0 no errors, 1 errors found (or warnings with --strict / over --max-warnings),
            2 usage or I/O error.
`,
  validate: `Usage: spiderendpoint validate [options] [FILE|DIR|-]...

Checks every SpiderEndpoint in the given files, together: besides each file's own checks, an endpoint
defined in two files and an IP claimed by endpoints in two files are found (the finding names both places).
Directories are searched recursively for *.yaml, *.yml and *.json, skipping .git, node_modules, what the
.gitignore files (nested ones too, and those above up to the git work tree's root) and the --ignore
patterns exclude; a file named as an argument is always read, and each file only once, whatever name or
link leads to it. "-" (or no argument with piped input) reads standard input. Documents of other kinds are
reported as skipped; so are templates (a Helm chart's templates/, text with {{ ... }} outside YAML strings),
with the reason: they are checked once rendered (helm template ... | spiderendpoint validate).

Options:
  -f, --format FORMAT          text (default), json, sarif, github, junit
  -o, --output FILE            write the report to FILE instead of standard output (see "Writing files")
      --spiderpool-version V   check against Spiderpool release V (e.g. 0.6, v0.9.3, 1.2);
                               default: the newest release of each document's apiVersion
${READING_HELP}      --rule RULE=SEVERITY     a rule's severity: off, info, warning or error; RULE is a code
                               (SE313) or a rule name; repeatable
      --ignore PATTERN         leave out what PATTERN matches (gitignore syntax, relative to the working
                               directory) when walking directories; repeatable
      --no-gitignore           do not read .gitignore files
      --config FILE            read settings from FILE instead of the spiderendpoint.config.json found
                               in the working directory or the nearest folder above it
      --no-config              read no config file
      --fix                    apply the fixes marked safe to the files (rerun until stable; each file
                               replaced atomically, see "Writing files"), then report what is left;
                               fixes that need review are listed on standard error, never applied
      --fix-dry-run            print the changes --fix would make as a unified diff instead of the report
      --strict                 warnings fail the run (exit 1)
      --max-warnings N         fail (exit 1) when there are more than N warnings
  -q, --quiet                  report errors only (warnings still count for --strict/--max-warnings)
  -v, --verbose                text format: also list each document with its status
      --stdin-filename NAME    the file name to report for standard input (default "-")
      --color, --no-color      force or disable colour (default: on a terminal, unless NO_COLOR is set)
  -h, --help                   show this help

Config file (spiderendpoint.config.json, JSON): {"spiderpoolVersion": "1.2", "fieldValidation": "warn",
"yamlVersion": "1.1", "ignore": ["charts/", "*.generated.yaml"], "gitignore": true,
"rules": {"SE313": "off", "SE306": "error"}}; every key is optional; "ignore" patterns are relative to the
file's folder. Flags win over the file (--rule per rule). A file that is not valid is a usage error (exit 2).

Inline suppressions: "# spiderendpoint-disable-next-line SE313 SE204" (the next line; all rules without a
code) and "# spiderendpoint-disable-file SE313" (the whole file). Suppressed findings do not count; they are
listed as suppressed in the json and sarif formats and counted in the text summary.

Every human-readable line shows control characters, escape sequences and bidi controls from the input
escaped (\\n, \\u001b...), so no line can be forged. The counts and the exit code include every finding,
also those a report does not list (at most 10000 per file, errors first); each format says when some
are not listed. Documents are numbered from 1 in every human-readable line (List items by their index in
items, from 0); the json and sarif formats give the 0-based "index".

${WRITING_HELP}
Exit codes: 0 no errors, 1 errors (or warnings with --strict / over --max-warnings; with --fix, what is
left after fixing), 2 usage or I/O error (also an invalid config file).
`,
  normalize: `Usage: spiderendpoint normalize [options] [FILE|-]...

Prints each document normalized (null fields pruned, vlan defaulted...; comments, order and untouched lines
kept) to standard output, or rewrites the files with --write. The change report goes to standard error.

Options:
  -w, --write                  rewrite the files (see "Writing files"); a file whose transformation
                               failed is never touched
      --drop-unknown           also drop fields the API server would prune
  -f, --format FORMAT          report format on standard error: text (default) or json
      --spiderpool-version V   Spiderpool release to target (default: the newest)
${READING_HELP}  -q, --quiet                  report errors only
      --color, --no-color      force or disable colour on standard error
  -h, --help                   show this help

${WRITING_HELP}
Exit codes: 0 success, 1 a document could not be transformed, 2 usage or I/O error.
`,
  convert: `Usage: spiderendpoint convert --to v1|v2beta1 [options] [FILE|-]...

Converts SpiderEndpoint documents between spiderpool.spidernet.io/v1 (Spiderpool <= 0.3) and v2beta1.
The converted text goes to standard output (or back into the files with --write); the loss/change report
goes to standard error.

Options:
  -t, --to VERSION             target apiVersion: v1 or v2beta1 (required)
      --lossless               keep the fields the target cannot hold in an annotation (restored on the way back)
  -w, --write                  rewrite the files (see "Writing files"); a file whose conversion failed
                               is never touched
  -f, --format FORMAT          report format on standard error: text (default) or json
      --spiderpool-version V   Spiderpool release to target (default: the newest of the target version)
${READING_HELP}  -q, --quiet                  report errors only
      --color, --no-color      force or disable colour on standard error
  -h, --help                   show this help

${WRITING_HELP}
Exit codes: 0 success, 1 a document could not be converted, 2 usage or I/O error.
`,
  schema: `Usage: spiderendpoint schema [options]

Prints the JSON Schema (draft-07) of a SpiderEndpoint, e.g. for yaml-language-server.

Options:
      --spiderpool-version V   the schema of Spiderpool release V (default: the newest)
      --api-version VERSION    v1 or v2beta1 (default: the version of that release)
  -o, --output FILE            write to FILE instead of standard output (see "Writing files")
  -h, --help                   show this help

${WRITING_HELP}`,
  rules: `Usage: spiderendpoint rules [options]

Lists every diagnostic code with its rule name, default severity and summary.

Options:
  -f, --format FORMAT   text (default), json or markdown
  -h, --help            show this help
`,
};

module.exports = { HELP };
