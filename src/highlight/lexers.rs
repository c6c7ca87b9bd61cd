//! Rouge 3.30.0 lexers ported as tables for [`super::engine`]. Each table follows the Rouge
//! source file of the same name (`lib/rouge/lexers/*.rb`) rule for rule, leaving out what
//! needs Ruby code (heredocs, per-lexer callbacks); those gaps are listed in each table's
//! comment and in `docs/markup.md`.

use super::engine::{Act::*, Entry::*, StateDef};

const SH_KEYWORDS: &str = r"\b(if|fi|else|while|do|done|for|then|return|function|select|continue|until|esac|elif|in)\s*\b";
const SH_BUILTINS: &str = r"\b(alias|bg|bind|break|builtin|caller|cd|command|compgen|complete|declare|dirs|disown|enable|eval|exec|exit|export|false|fc|fg|getopts|hash|help|history|jobs|let|local|logout|mapfile|popd|pushd|pwd|read|readonly|set|shift|shopt|source|suspend|test|time|times|trap|true|type|typeset|ulimit|umask|unalias|unset|wait|cat|tac|nl|od|base32|base64|fmt|pr|fold|head|tail|split|csplit|wc|sum|cksum|b2sum|md5sum|sha1sum|sha224sum|sha256sum|sha384sum|sha512sum|sort|shuf|uniq|comm|ptx|tsort|cut|paste|join|tr|expand|unexpand|ls|dir|vdir|dircolors|cp|dd|install|mv|rm|shred|link|ln|mkdir|mkfifo|mknod|readlink|rmdir|unlink|chown|chgrp|chmod|touch|df|du|stat|sync|truncate|echo|printf|yes|expr|tee|basename|dirname|pathchk|mktemp|realpath|pwd|stty|printenv|tty|id|logname|whoami|groups|users|who|date|arch|nproc|uname|hostname|hostid|uptime|chcon|runcon|chroot|env|nice|nohup|stdbuf|timeout|kill|sleep|factor|numfmt|seq|tar|grep|sudo|awk|sed|gzip|gunzip)\s*\b(?!(\.|-))";

/// `shell.rb` (tags shell, bash, zsh, ksh, sh). Gap: heredoc bodies.
pub static SHELL: &[StateDef] = &[
    (
        "basic",
        &[
            Rule(r"#.*$", "c", Stay),
            Rule(SH_KEYWORDS, "k", Stay),
            Rule(r"\bcase\b", "k", Push("case")),
            Rule(SH_BUILTINS, "nb", Stay),
            Rule(r"[.](?=\s)", "nb", Stay),
            Groups(r"(\b\w+)(=)", &["nv", "o"], Stay),
            Rule(r"[\[\]{}()!=>]", "o", Stay),
            Rule(r"&&|\|\|", "o", Stay),
            Rule(r"<<<", "o", Stay),
        ],
    ),
    (
        "double_quotes",
        &[
            Rule(r#"(?:\$#?)?""#, "s2", Pop),
            Mixin("interp"),
            Rule(r#"[^"`\\$]+"#, "s2", Stay),
        ],
    ),
    (
        "ansi_string",
        &[
            Rule(r"\\.", "se", Stay),
            Rule(r"[^\\']+", "s1", Stay),
            Mixin("single_quotes"),
        ],
    ),
    ("single_quotes", &[Rule(r"'", "s1", Pop), Rule(r"[^']+", "s1", Stay)]),
    (
        "data",
        &[
            Rule(r"\s+", "", Stay),
            Rule(r"\\.", "se", Stay),
            Rule(r#"\$?""#, "s2", Push("double_quotes")),
            Rule(r"\$'", "s1", Push("ansi_string")),
            Rule(r"'", "s1", Push("single_quotes")),
            Rule(r"\*", "k", Stay),
            Rule(r";", "p", Stay),
            Rule(r"--?[\w-]+", "nt", Stay),
            Rule(r#"[^=\*\s{}()$"'`;\\<]+"#, "", Stay),
            Rule(r"\d+(?= |\z)", "m", Stay),
            Rule(r"<", "", Stay),
            Mixin("interp"),
        ],
    ),
    (
        "curly",
        &[
            Rule(r"\}", "k", Pop),
            Rule(r":-", "k", Stay),
            Rule(r"[a-zA-Z0-9_]+", "nv", Stay),
            Rule(r#"[^}:"`'$]+"#, "p", Stay),
            Mixin("root"),
        ],
    ),
    (
        "paren_interp",
        &[
            Rule(r"\)", "si", Pop),
            Rule(r"\(", "o", Push("paren_inner")),
            Mixin("root"),
        ],
    ),
    (
        "paren_inner",
        &[
            Rule(r"\(", "o", Push("paren_inner")),
            Rule(r"\)", "o", Pop),
            Mixin("root"),
        ],
    ),
    (
        "math",
        &[
            Rule(r"\)\)", "k", Pop),
            Rule(r"[-+*/%^|&!]|\*\*|\|\|", "o", Stay),
            Rule(r"\d+(#\w+)?", "m", Stay),
            Mixin("root"),
        ],
    ),
    (
        "case",
        &[
            Rule(r"\besac\b", "k", Pop),
            Rule(r"\|", "p", Stay),
            Rule(r"\)", "p", Push("case_stanza")),
            Mixin("root"),
        ],
    ),
    ("case_stanza", &[Rule(r";;", "p", Pop), Mixin("root")]),
    ("backticks", &[Rule(r"`", "sb", Pop), Mixin("root")]),
    (
        "interp",
        &[
            Rule(r"\\$", "se", Stay),
            Rule(r"\\.", "se", Stay),
            Rule(r"\$\(\(", "k", Push("math")),
            Rule(r"\$\(", "si", Push("paren_interp")),
            Rule(r"\$\{#?", "k", Push("curly")),
            Rule(r"`", "sb", Push("backticks")),
            Rule(r"\$#?(\w+|.)", "nv", Stay),
            Rule(r"\$[*@]", "nv", Stay),
        ],
    ),
    ("root", &[Mixin("basic"), Mixin("data")]),
];

/// `json.rb`.
pub static JSON: &[StateDef] = &[
    ("whitespace", &[Rule(r"\s+", "w", Stay)]),
    (
        "root",
        &[
            Mixin("whitespace"),
            Rule(r"\{", "p", Push("object")),
            Rule(r"\[", "p", Push("array")),
            Mixin("name"),
            Mixin("value"),
            Rule(r"[\]}]", "p", Stay),
        ],
    ),
    (
        "object",
        &[
            Mixin("whitespace"),
            Mixin("name"),
            Mixin("value"),
            Rule(r"\}", "p", Pop),
            Rule(r",", "p", Stay),
        ],
    ),
    (
        "name",
        &[Groups(r#"("(?:\\.|[^"\\\n])*?")(\s*)(:)"#, &["nl", "w", "p"], Stay)],
    ),
    (
        "value",
        &[
            Mixin("whitespace"),
            Mixin("constants"),
            Rule(r#"""#, "s2", Push("string")),
            Rule(r"\[", "p", Push("array")),
            Rule(r"\{", "p", Push("object")),
        ],
    ),
    (
        "string",
        &[
            Rule(r#"[^\\"]+"#, "s2", Stay),
            Rule(r"\\.", "se", Stay),
            Rule(r#"""#, "s2", Pop),
        ],
    ),
    (
        "array",
        &[Mixin("value"), Rule(r"\]", "p", Pop), Rule(r",", "p", Stay)],
    ),
    (
        "constants",
        &[
            Rule(r"(?:true|false|null)", "kc", Stay),
            Rule(r"(?i)-?(?:0|[1-9]\d*)\.\d+(?:e[+-]?\d+)?", "mf", Stay),
            Rule(r"(?i)-?(?:0|[1-9]\d*)(?:e[+-]?\d+)?", "mi", Stay),
        ],
    ),
];

const RB_KEYWORDS: &str = r"(?:BEGIN|END|alias|begin|break|case|defined\?|do|else|elsif|end|ensure|for|if|in|next|redo|rescue|raise|retry|return|super|then|undef|unless|until|when|while|yield)(?=\W|$)";
const RB_PSEUDO: &str = r"(?:loop|include|extend|raise|alias_method|attr|catch|throw|private|module_function|public|protected|true|false|nil|__FILE__|__LINE__)\b";
const RB_BUILTINS_G: &str = r"(?<!\.)(?:attr_reader|attr_writer|attr_accessor|__id__|__send__|abort|ancestors|at_exit|autoload|binding|callcc|caller|catch|chomp|chop|class_eval|class_variables|clone|const_defined\?|const_get|const_missing|const_set|constants|display|dup|eval|exec|exit|extend|fail|fork|format|freeze|getc|gets|global_variables|gsub|hash|id|included_modules|inspect|instance_eval|instance_method|instance_methods|instance_variable_get|instance_variable_set|instance_variables|lambda|load|local_variables|loop|method|method_missing|methods|module_eval|name|object_id|open|p|print|printf|private_class_method|private_instance_methods|private_methods|proc|protected_instance_methods|protected_methods|public_class_method|public_instance_methods|public_methods|putc|puts|raise|rand|readline|readlines|require|require_relative|scan|select|self|send|set_trace_func|singleton_methods|sleep|split|sprintf|srand|sub|syscall|system|taint|test|throw|to_a|to_s|trace_var|trap|untaint|untrace_var|warn)\b";
const RB_BUILTINS_Q: &str = r"(?:autoload|block_given|const_defined|eql|equal|frozen|include|instance_of|is_a|iterator|kind_of|method_defined|nil|private_method_defined|protected_method_defined|public_method_defined|respond_to|tainted)[?]";

/// `ruby.rb` (tags ruby, rb). Gaps: heredoc bodies, `%`-literals (`%w(…)`, `%r{…}`), which
/// Rouge lexes with states built at run time.
pub static RUBY: &[StateDef] = &[
    (
        "symbols",
        &[
            Rule(r"(?i):@{0,2}[a-z_]\w*[!?]?", "ss", Stay),
            Rule(r":(?:\*\*|[-+]@|[/\%&\|^`~]|\[\]=?|<<|>>|<=?>|<=?|===?)", "ss", Stay),
            Rule(r":'(\\\\|\\'|[^'])*'", "ss", Stay),
            Rule(r#":""#, "ss", Push("simple_sym")),
        ],
    ),
    (
        "strings",
        &[
            Mixin("symbols"),
            Rule(r"\b[a-z_]\w*?[?!]?:\s+", "ss", Push("expr_start")),
            Rule(r"'(\\\\|\\'|[^'])*'", "s1", Stay),
            Rule(r#"""#, "s2", Push("simple_string")),
            Rule(r"(?<!\.)`", "sb", Push("simple_backtick")),
        ],
    ),
    ("regex_flags", &[Rule(r"[mixounse]*", "sr", Pop)]),
    (
        "simple_string",
        &[
            Mixin("string_intp_escaped"),
            Rule(r##"(?s)[^\\"#]+"##, "s2", Stay),
            Rule(r"[\\#]", "s2", Stay),
            Rule(r#"""#, "s2", Pop),
        ],
    ),
    (
        "simple_sym",
        &[
            Mixin("string_intp_escaped"),
            Rule(r##"(?s)[^\\"#]+"##, "ss", Stay),
            Rule(r"[\\#]", "ss", Stay),
            Rule(r#"""#, "ss", Pop),
        ],
    ),
    (
        "simple_backtick",
        &[
            Mixin("string_intp_escaped"),
            Rule(r"(?s)[^\\`#]+", "sb", Stay),
            Rule(r"[\\#]", "sb", Stay),
            Rule(r"`", "sb", Pop),
        ],
    ),
    (
        "whitespace",
        &[
            Mixin("inline_whitespace"),
            Rule(r"\n\s*", "", Push("expr_start")),
            Rule(r"#.*$", "c1", Stay),
            Rule(r"(?s)=begin\b.*?\n=end\b", "cm", Stay),
        ],
    ),
    ("inline_whitespace", &[Rule(r"[ \t\r]+", "", Stay)]),
    (
        "root",
        &[
            Mixin("whitespace"),
            Rule(r"__END__", "cp", Push("end_part")),
            Rule(r"0_?[0-7]+(?:_[0-7]+)*", "mo", Stay),
            Rule(r"0x[0-9A-Fa-f]+(?:_[0-9A-Fa-f]+)*", "mh", Stay),
            Rule(r"0b[01]+(?:_[01]+)*", "mb", Stay),
            Rule(r"[\d]+(?:_\d+)*(?:\.[\d]+(?:_\d+)*(?i:e[+-]?\d+)?|(?i:e[+-]?\d+))", "mf", Stay),
            Rule(r"[\d]+(?:_\d+)*", "mi", Stay),
            Rule(r"(?i)@@[a-z_]\w*", "vc", Stay),
            Rule(r"(?i)@[a-z_]\w*", "vi", Stay),
            Rule(r"\$\w+", "vg", Stay),
            Rule(r#"\$[!@&`'+~=/\\,;.<>_*\$?:"]"#, "vg", Stay),
            Rule(r"\$-[0adFiIlpvw]", "vg", Stay),
            Rule(r"::", "o", Stay),
            Mixin("strings"),
            Rule(RB_KEYWORDS, "k", Push("expr_start")),
            Rule(RB_PSEUDO, "kp", Push("expr_start")),
            Groups(
                r"(module)(\s+)([a-zA-Z_][a-zA-Z0-9_]*(::[a-zA-Z_][a-zA-Z0-9_]*)*)",
                &["k", "", "nn"],
                Stay,
            ),
            Groups(r"(def\b)(\s*)", &["k", ""], Push("funcname")),
            Groups(r"(class\b)(\s*)", &["k", ""], Push("classname")),
            Rule(RB_BUILTINS_Q, "nb", Push("expr_start")),
            Rule(r"(?:chomp|chop|exit|gsub|sub)!", "nb", Push("expr_start")),
            Rule(RB_BUILTINS_G, "nb", Push("method_call")),
            Rule(r"\.{2,3}", "o", Push("expr_start")),
            Rule(r"[A-Z][a-zA-Z0-9_]*", "no", Push("method_call")),
            Groups(
                r"(\.|::)(\s*)([a-z_]\w*[!?]?|[*%&^`~+\-/\[<>=])",
                &["p", "", "nf"],
                Push("method_call"),
            ),
            Rule(r"[a-zA-Z_]\w*[?!]", "n", Push("expr_start")),
            Rule(r"[a-zA-Z_]\w*", "n", Push("method_call")),
            Rule(r"\*\*|<<?|>>?|>=|<=|<=>|=~|={3}|!~|&&?|\|\||\.", "o", Push("expr_start")),
            Rule(r"[-+/*%=<>&!^|~]=?", "o", Push("expr_start")),
            Rule(r"[?]", "p", Push2("ternary", "expr_start")),
            Rule(r"[\[({,:\\;/]", "p", Push("expr_start")),
            Rule(r"[\])}]", "p", Stay),
        ],
    ),
    (
        "funcname",
        &[
            Rule(r"\s+", "", Stay),
            Rule(r"\(", "p", Push("defexpr")),
            Groups(
                r"(?:([a-zA-Z_]\w*)(\.))?([a-zA-Z_]\w*[!?]?|\*\*?|[-+]@?|[/%&\|^`~]|\[\]=?|<<?|>>?|<=>?|>=|===?)",
                &["nc", "o", "nf"],
                Pop,
            ),
            Rule(r"", "", Pop),
        ],
    ),
    (
        "classname",
        &[
            Rule(r"\s+", "", Stay),
            Rule(r"\w+(::\w+)+", "nc", Stay),
            Rule(r"\(", "p", Push2("defexpr", "expr_start")),
            Rule(r"<<", "o", Goto("expr_start")),
            Rule(r"[A-Z_]\w*", "nc", Pop),
            Rule(r"", "", Pop),
        ],
    ),
    (
        "ternary",
        &[
            Groups(r"(:)(\s+)", &["p", ""], Goto("expr_start")),
            Rule(r":(?![^#\n]*?[:\\])", "p", Goto("expr_start")),
            Mixin("root"),
        ],
    ),
    (
        "defexpr",
        &[
            Groups(r"(\))(\.|::)?", &["p", "o"], Pop),
            Rule(r"\(", "p", Push2("defexpr", "expr_start")),
            Mixin("root"),
        ],
    ),
    ("in_interp", &[Rule(r"\}", "si", Pop), Mixin("root")]),
    (
        "string_intp",
        &[
            Rule(r"[#][{]", "si", Push("in_interp")),
            Rule(r"(?i)#(@@?|\$)[a-z_]\w*", "si", Stay),
        ],
    ),
    (
        "string_intp_escaped",
        &[
            Mixin("string_intp"),
            Rule(r##"\\([\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3})"##, "se", Stay),
            Rule(r"\\.", "se", Stay),
        ],
    ),
    (
        "method_call",
        &[
            Rule(r"/|%", "o", Goto("expr_start")),
            Rule(r"(?=\n)", "", Pop),
            Rule(r"", "", Goto("method_call_spaced")),
        ],
    ),
    (
        "method_call_spaced",
        &[
            Mixin("whitespace"),
            Rule(r"[%/]=", "o", Goto("expr_start")),
            Rule(r"(/)(?=\S|\s*/)", "sr", Goto("slash_regex")),
            Rule(r"(?=\s*/)", "", Pop),
            Rule(r"\s+", "", Goto("expr_start")),
            Rule(r"", "", Pop),
        ],
    ),
    (
        "expr_start",
        &[
            Mixin("inline_whitespace"),
            Rule(r"/", "sr", Goto("slash_regex")),
            Rule(
                r##"[?](\\[MC]-)*(\\([\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3})|\S)(?!\w)"##,
                "sc",
                Pop,
            ),
            Rule(r"", "", Pop),
        ],
    ),
    (
        "slash_regex",
        &[
            Mixin("string_intp"),
            Rule(r"\\\\", "sr", Stay),
            Rule(r"\\/", "sr", Stay),
            Rule(r"[\\#]", "sr", Stay),
            Rule(r"(?s)[^\\/#]+", "sr", Stay),
            Rule(r"/", "sr", Goto("regex_flags")),
        ],
    ),
    ("end_part", &[Rule(r"(?s).+", "cp", Pop)]),
];
