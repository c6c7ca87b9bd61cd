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
    (
        "single_quotes",
        &[Rule(r"'", "s1", Pop), Rule(r"[^']+", "s1", Stay)],
    ),
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
        &[Groups(
            r#"("(?:\\.|[^"\\\n])*?")(\s*)(:)"#,
            &["nl", "w", "p"],
            Stay,
        )],
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
            Rule(
                r":(?:\*\*|[-+]@|[/\%&\|^`~]|\[\]=?|<<|>>|<=?>|<=?|===?)",
                "ss",
                Stay,
            ),
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
            Rule(
                r"[\d]+(?:_\d+)*(?:\.[\d]+(?:_\d+)*(?i:e[+-]?\d+)?|(?i:e[+-]?\d+))",
                "mf",
                Stay,
            ),
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
            Rule(
                r"\*\*|<<?|>>?|>=|<=|<=>|=~|={3}|!~|&&?|\|\||\.",
                "o",
                Push("expr_start"),
            ),
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
            Rule(
                r##"\\([\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3})"##,
                "se",
                Stay,
            ),
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

mod yaml_hooks {
    //! The Ruby blocks of `yaml.rb`: its indentation tracking.
    use super::super::engine::{Caps, Hook, Vars};

    fn indent(v: &Vars) -> usize {
        *v.indent_stack.last().unwrap_or(&0)
    }

    fn reset(v: &mut Vars) {
        v.indent_stack = vec![0];
        v.next_indent = 0;
        v.block_scalar_indent = None;
    }

    /// `save_indent`: returns (indentation text, error text).
    fn save_indent(v: &mut Vars, m: &str) -> (usize, usize) {
        v.next_indent = m.len();
        if v.next_indent < indent(v) {
            while v.next_indent < indent(v) {
                v.indent_stack.pop();
            }
            let i = indent(v).min(m.len());
            (i, m.len() - i)
        } else {
            (m.len(), 0)
        }
    }

    fn set_indent(v: &mut Vars, m: &str, implicit: bool) {
        if indent(v) < v.next_indent {
            let n = v.next_indent;
            v.indent_stack.push(n);
        }
        if !implicit {
            v.next_indent += m.len();
        }
    }

    fn m0<'c>(c: &'c Caps<'_>) -> &'c str {
        c.get(0).map_or("", |m| m.as_str())
    }

    pub fn directive_yaml(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("nt", m0(c));
        reset(h.vars);
        h.push("yaml_directive");
    }
    pub fn directive_tag(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("nt", m0(c));
        reset(h.vars);
        h.push("tag_directive");
    }
    pub fn document(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("nn", m0(c));
        reset(h.vars);
        h.push("block_line");
    }
    pub fn line_start(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        let (t, _) = save_indent(h.vars, m);
        h.token("", &m[..t]);
        h.token("err", &m[t..]);
        h.push("block_line");
        h.push("indentation");
    }
    pub fn blank_indent(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("", m0(c));
        h.pop(2);
    }
    pub fn continue_spaces(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("", m0(c));
        h.vars.next_indent += m0(c).len();
    }
    pub fn indicator(h: &mut Hook<'_>, c: &Caps<'_>) {
        set_indent(h.vars, m0(c), false);
        h.token("pi", m0(c));
    }
    pub fn end_indentation(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("", m0(c));
        h.vars.next_indent += m0(c).len();
        h.pop(1);
    }
    pub fn plain_block(h: &mut Hook<'_>, _c: &Caps<'_>) {
        h.push("plain_scalar_in_block_context");
    }
    pub fn plain_flow(h: &mut Hook<'_>, _c: &Caps<'_>) {
        h.push("plain_scalar_in_flow_context");
    }
    pub fn key(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("na", c.get(1).map_or("", |m| m.as_str()));
        h.token("pi", c.get(2).map_or("", |m| m.as_str()));
        set_indent(h.vars, m0(c), true);
    }
    pub fn block_scalar(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("pi", m0(c));
        h.push("block_scalar_content");
        h.push("block_scalar_header");
    }
    pub fn scalar_blank_line(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        let mark = h.vars.block_scalar_indent.unwrap_or(m.len()).min(m.len());
        h.token("", &m[..mark]);
        h.token("no", &m[mark..]);
    }
    pub fn scalar_line_start(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        h.token("", m);
        let size = m.len();
        let dedent_level = h.vars.block_scalar_indent.unwrap_or(indent(h.vars));
        if h.vars.block_scalar_indent.is_none() {
            h.vars.block_scalar_indent = Some(size);
        }
        if size < dedent_level {
            save_indent(h.vars, m);
            h.pop(1);
            h.push("indentation");
        }
    }
    pub fn scalar_header(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.vars.block_scalar_indent = None;
        h.goto("ignored_line");
        let m = m0(c);
        if m.is_empty() {
            return;
        }
        let inc = c.get(2).or_else(|| c.get(3)).map(|g| g.as_str());
        if let Some(i) = inc.and_then(|i| i.parse::<usize>().ok()) {
            h.vars.block_scalar_indent = Some(indent(h.vars) + i);
        }
        h.token("pi", m);
    }
    pub fn new_line_document(h: &mut Hook<'_>, _c: &Caps<'_>) {
        h.pop(3);
    }
    pub fn new_line_indent(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        h.token("", m);
        h.pop(1);
        if m.len() <= indent(h.vars) {
            h.pop(1);
            save_indent(h.vars, m);
            h.push("indentation");
        }
    }
    pub fn plain_newline(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("", m0(c));
        h.push("plain_scalar_in_block_context_new_line");
    }
}

/// `yaml.rb` (tags yaml, yml), indentation tracking included.
pub static YAML: &[StateDef] = &[
    ("basic", &[Rule(r"#.*$", "c1", Stay)]),
    (
        "root",
        &[
            Mixin("basic"),
            Rule(r"\n+", "", Stay),
            Rule(r"[ ]+(?=#|$)", "", Stay),
            Hook(r"^%YAML\b", yaml_hooks::directive_yaml),
            Hook(r"^%TAG\b", yaml_hooks::directive_tag),
            Hook(r"^(?:---|\.\.\.)(?= |$)", yaml_hooks::document),
            Hook(r"[ ]*(?!\s|$)", yaml_hooks::line_start),
        ],
    ),
    (
        "indentation",
        &[
            Hook(r"\s*?\n", yaml_hooks::blank_indent),
            Hook(r"[ ]+(?=[-:?](?:[ ]|$))", yaml_hooks::continue_spaces),
            Hook(r"[?:-](?=[ ]|$)", yaml_hooks::indicator),
            Hook(r"[ ]*", yaml_hooks::end_indentation),
        ],
    ),
    (
        "block_line",
        &[
            Rule(r"[ ]*(?=#|$)", "", Pop),
            Rule(r"[ ]+", "", Stay),
            Mixin("descriptors"),
            Mixin("block_nodes"),
            Mixin("flow_nodes"),
            Hook(
                r#"(?=[^ \t\n\r\f\v?:,\[\]{}#&*!\|>'"%@`]|[?:-][^ \t\n\r\f\v])"#,
                yaml_hooks::plain_block,
            ),
        ],
    ),
    (
        "descriptors",
        &[
            Rule(r"!<[0-9A-Za-z;/?:@&=+$,_.!~*'()\[\]%-]+>", "kt", Stay),
            Rule(r"(?:![\w-]+)?!(?:[\w;/?:@&=+$,.!~*'()\[\]%-]*)", "kt", Stay),
            Rule(r"&[\p{L}\p{Nl}\p{Nd}_-]+", "nl", Stay),
            Rule(r"\*[\p{L}\p{Nl}\p{Nd}_-]+", "nv", Stay),
        ],
    ),
    (
        "block_nodes",
        &[
            Hook(r#"([^#,:?\[\]{}"'\n]+)(:)(?=\s|$)"#, yaml_hooks::key),
            Hook(r"[\|>][+-]?", yaml_hooks::block_scalar),
        ],
    ),
    (
        "flow_nodes",
        &[
            Rule(r"\[", "pi", Push("flow_sequence")),
            Rule(r"\{", "pi", Push("flow_mapping")),
            Rule(r"'", "s1", Push("single_quoted_scalar")),
            Rule(r#"""#, "s2", Push("double_quoted_scalar")),
        ],
    ),
    (
        "flow_collection",
        &[
            Rule(r"\s+", "", Stay),
            Mixin("basic"),
            Rule(r"[?:,]", "pi", Stay),
            Mixin("descriptors"),
            Mixin("flow_nodes"),
            Hook(
                r#"(?=[^ \t\n\r\f\v?:,\[\]{}#&*!\|>'"%@`])"#,
                yaml_hooks::plain_flow,
            ),
        ],
    ),
    (
        "flow_sequence",
        &[Rule(r"\]", "pi", Pop), Mixin("flow_collection")],
    ),
    (
        "flow_mapping",
        &[Rule(r"\}", "pi", Pop), Mixin("flow_collection")],
    ),
    (
        "block_scalar_content",
        &[
            Rule(r"\n+", "", Stay),
            Hook(r"^[ ]+$", yaml_hooks::scalar_blank_line),
            Hook(r"^[ ]*", yaml_hooks::scalar_line_start),
            Rule(r"[^\n\r\f\v]+", "s", Stay),
        ],
    ),
    (
        "block_scalar_header",
        &[Hook(
            r"(([1-9])[+-]?|[+-]?([1-9])?)(?=[ ]|$)",
            yaml_hooks::scalar_header,
        )],
    ),
    (
        "ignored_line",
        &[
            Mixin("basic"),
            Rule(r"[ ]+", "", Stay),
            Rule(r"\n", "", Pop),
        ],
    ),
    (
        "quoted_scalar_whitespaces",
        &[
            Rule(r"^[ ]+", "", Stay),
            Rule(r"[ ]+$", "", Stay),
            Rule(r"\n+", "", Stay),
            Rule(r"[ ]+", "nv", Stay),
        ],
    ),
    (
        "single_quoted_scalar",
        &[
            Mixin("quoted_scalar_whitespaces"),
            Rule(r"\\'", "se", Stay),
            Rule(r"'", "s", Pop),
            Rule(r"[^\s']+", "s", Stay),
        ],
    ),
    (
        "double_quoted_scalar",
        &[
            Rule(r#"""#, "s", Pop),
            Mixin("quoted_scalar_whitespaces"),
            Rule(r#"\\[0abt\tn\nvfre "\\N_LP]"#, "se", Stay),
            Rule(
                r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})",
                "se",
                Stay,
            ),
            Rule(r#"[^ \t\n\r\f\v"\\]+"#, "s", Stay),
        ],
    ),
    (
        "plain_scalar_in_block_context_new_line",
        &[
            Rule(r"^[ ]+\n", "", Stay),
            Rule(r"\n+", "", Stay),
            Hook(r"^(?=---|\.\.\.)", yaml_hooks::new_line_document),
            Hook(r"^[ ]*", yaml_hooks::new_line_indent),
        ],
    ),
    (
        "plain_scalar_in_block_context",
        &[
            Rule(r"[ ]*(?=:[ \n]|:$)", "", Pop),
            Rule(r"[ ]*:\S+", "s", Stay),
            Rule(r"[ ]+(?=#)", "", Pop),
            Rule(r"[ ]+$", "", Stay),
            Hook(r"\n+", yaml_hooks::plain_newline),
            Rule(r"[ ]+", "s", Stay),
            Rule(r"true|false|null", "no", Stay),
            Rule(r"\d+(?:\.\d+)?(?=(\r?\n)| +#)", "m", Pop),
            Rule(r"[^\s:]+", "s", Stay),
        ],
    ),
    (
        "plain_scalar_in_flow_context",
        &[
            Rule(r"[ ]*(?=[,:?\[\]{}])", "", Pop),
            Rule(r"[ ]+(?=#)", "", Pop),
            Rule(r"^[ ]+", "", Stay),
            Rule(r"[ ]+$", "", Stay),
            Rule(r"\n+", "", Stay),
            Rule(r"[ ]+", "nv", Stay),
            Rule(r"[^\s,:?\[\]{}]+", "nv", Stay),
        ],
    ),
    (
        "yaml_directive",
        &[Groups(
            r"([ ]+)(\d+\.\d+)",
            &["", "m"],
            Goto("ignored_line"),
        )],
    ),
    (
        "tag_directive",
        &[Groups(
            r"([ ]+)(!|![\w-]*!)([ ]+)(!|!?[\w;/?:@&=+$,.!~*'()\[\]%-]+)",
            &["", "kt", "", "kt"],
            Goto("ignored_line"),
        )],
    ),
];

mod js_hooks {
    //! The Ruby blocks of `javascript.rb`: classifying identifiers.
    use super::super::engine::{Caps, Hook};

    const KEYWORDS: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "case",
        "catch",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "export",
        "finally",
        "from",
        "for",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "of",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "try",
        "typeof",
        "void",
        "while",
        "yield",
    ];
    const DECLARATIONS: &[&str] = &[
        "var",
        "let",
        "const",
        "with",
        "function",
        "class",
        "extends",
        "constructor",
        "get",
        "set",
        "static",
    ];
    const RESERVED: &[&str] = &[
        "enum",
        "implements",
        "interface",
        "package",
        "private",
        "protected",
        "public",
    ];
    const CONSTANTS: &[&str] = &["true", "false", "null", "NaN", "Infinity", "undefined"];
    const BUILTINS: &[&str] = &[
        "Array",
        "Boolean",
        "Date",
        "Error",
        "Function",
        "Math",
        "netscape",
        "Number",
        "Object",
        "Packages",
        "RegExp",
        "String",
        "sun",
        "decodeURI",
        "decodeURIComponent",
        "encodeURI",
        "encodeURIComponent",
        "eval",
        "isFinite",
        "isNaN",
        "parseFloat",
        "parseInt",
        "document",
        "window",
        "navigator",
        "self",
        "global",
        "Promise",
        "Set",
        "Map",
        "WeakSet",
        "WeakMap",
        "Symbol",
        "Proxy",
        "Reflect",
        "Int8Array",
        "Uint8Array",
        "Uint8ClampedArray",
        "Int16Array",
        "Uint16Array",
        "Uint16ClampedArray",
        "Int32Array",
        "Uint32Array",
        "Uint32ClampedArray",
        "Float32Array",
        "Float64Array",
        "DataView",
        "ArrayBuffer",
    ];

    pub fn id(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = c.get(0).map_or("", |m| m.as_str());
        if KEYWORDS.contains(&m) {
            h.token("k", m);
            h.push("expr_start");
        } else if DECLARATIONS.contains(&m) {
            h.token("kd", m);
            h.push("expr_start");
        } else if RESERVED.contains(&m) {
            h.token("kr", m);
        } else if CONSTANTS.contains(&m) {
            h.token("kc", m);
        } else if BUILTINS.contains(&m) {
            h.token("nb", m);
        } else {
            h.token("nx", m);
        }
    }
}

const JS_ID: &str = r"[\p{L}\p{Nl}$_][\w]*";

/// `javascript.rb` (tags javascript, js).
pub static JAVASCRIPT: &[StateDef] = &[
    (
        "multiline_comment",
        &[
            Rule(r"[*]/", "cm", Pop),
            Rule(r"[^*/]+", "cm", Stay),
            Rule(r"[*/]", "cm", Stay),
        ],
    ),
    (
        "comments_and_whitespace",
        &[
            Rule(r"\s+", "", Stay),
            Rule(r"<!--", "c", Stay),
            Rule(r"//.*?$", "c1", Stay),
            Rule(r"/[*]", "cm", Push("multiline_comment")),
        ],
    ),
    (
        "expr_start",
        &[
            Mixin("comments_and_whitespace"),
            Rule(r"/", "sr", Goto("regex")),
            Rule(r"[{]", "p", Goto("object")),
            Rule(r"", "", Pop),
        ],
    ),
    (
        "regex",
        &[
            Rule(r"/", "sr", Goto("regex_end")),
            Rule(r"[^/]\n", "err", Pop),
            Rule(r"\n", "err", Pop),
            Rule(r"\[\^", "se", Push("regex_group")),
            Rule(r"\[", "se", Push("regex_group")),
            Rule(r"\\.", "se", Stay),
            Rule(r"[(][?][:=<!]", "se", Stay),
            Rule(r"[{][\d,]+[}]", "se", Stay),
            Rule(r"[()?]", "se", Stay),
            Rule(r".", "sr", Stay),
        ],
    ),
    (
        "regex_end",
        &[Rule(r"[gimuy]+", "sr", Pop), Rule(r"", "", Pop)],
    ),
    (
        "regex_group",
        &[
            Rule(r"/", "se", Stay),
            Hook(r"[^/]\n", js_regex_group_error),
            Rule(r"\]", "se", Pop),
            Rule(r"\\.", "se", Stay),
            Rule(r".", "sr", Stay),
        ],
    ),
    (
        "root",
        &[
            Rule(r"(?<!(?s:.))\s*#!.*?\n", "cp", Push("statement")),
            Rule(r"(?<=\n)(?=\s|/|<!--)", "", Push("expr_start")),
            Mixin("comments_and_whitespace"),
            Rule(
                r"\+\+|--|~|\?\?=?|&&|\|\||\\(?=\n)|<<|>>>?|===|!==",
                "o",
                Push("expr_start"),
            ),
            Rule(r"[-<>+*%&|\^/!=]=?", "o", Push("expr_start")),
            Rule(r"[(\[,]", "p", Push("expr_start")),
            Rule(r";", "p", Push("statement")),
            Rule(r"[)\].]", "p", Stay),
            Rule(r"`", "s2", Push("template_string")),
            Rule(r"[?][.]", "p", Stay),
            Rule(r"[?]", "p", Push2("ternary", "expr_start")),
            Groups(r"(\@)(\w+)?", &["p", "nd"], Push("expr_start")),
            Rule(r"[{}]", "p", Push("statement")),
            Hook(JS_ID, js_hooks::id),
            Rule(r"[0-9][0-9]*\.[0-9]+([eE][0-9]+)?[fd]?", "mf", Stay),
            Rule(r"(?i)0x[0-9a-fA-F]+", "mh", Stay),
            Rule(r"(?i)0o[0-7][0-7_]*", "mo", Stay),
            Rule(r"(?i)0b[01][01_]*", "mb", Stay),
            Rule(r"[0-9]+", "mi", Stay),
            Rule(r#"""#, "dl", Push("dq")),
            Rule(r"'", "dl", Push("sq")),
            Rule(r":", "p", Stay),
        ],
    ),
    (
        "dq",
        &[
            Rule(r#"\\[\\nrt"]?"#, "se", Stay),
            Rule(r#"[^\\"]+"#, "s2", Stay),
            Rule(r#"""#, "dl", Pop),
        ],
    ),
    (
        "sq",
        &[
            Rule(r"\\[\\nrt']?", "se", Stay),
            Rule(r"[^\\']+", "s1", Stay),
            Rule(r"'", "dl", Pop),
        ],
    ),
    (
        "statement",
        &[
            Rule(r"case\b", "k", Goto("expr_start")),
            Groups(r"([\p{L}\p{Nl}$_][\w]*)(\s*)(:)", &["nl", "", "p"], Stay),
            Mixin("expr_start"),
        ],
    ),
    (
        "object",
        &[
            Mixin("comments_and_whitespace"),
            Rule(r"[{]", "p", Push("object")),
            Rule(r"[}]", "p", Goto("statement")),
            Groups(
                r"([\p{L}\p{Nl}$_][\w]*)(\s*)(:)",
                &["na", "", "p"],
                Push("expr_start"),
            ),
            Rule(r":", "p", Stay),
            Mixin("root"),
        ],
    ),
    (
        "ternary",
        &[Rule(r":", "p", Goto("expr_start")), Mixin("root")],
    ),
    (
        "template_string",
        &[
            Rule(r"[$]\{", "p", Push("template_string_expr")),
            Rule(r"`", "s2", Pop),
            Rule(r"\\[$`]", "se", Stay),
            Rule(r"[^$`\\]+", "s2", Stay),
            Rule(r"[\\$]", "s2", Stay),
        ],
    ),
    (
        "template_string_expr",
        &[Rule(r"\}", "p", Pop), Mixin("root")],
    ),
];

fn js_regex_group_error(h: &mut super::engine::Hook<'_>, c: &super::engine::Caps<'_>) {
    h.token("err", c.get(0).map_or("", |m| m.as_str()));
    h.pop(2);
}

const HTML_NAME: &str = r"[\p{L}:_-][\w\p{Cf}:.·-]*";

fn html_script(h: &mut super::engine::Hook<'_>, c: &super::engine::Caps<'_>) {
    h.token("nt", c.get(0).map_or("", |m| m.as_str()));
    h.push("script_content");
    h.push("tag");
}

fn html_style(h: &mut super::engine::Hook<'_>, c: &super::engine::Caps<'_>) {
    h.token("nt", c.get(0).map_or("", |m| m.as_str()));
    h.push("style_content");
    h.push("tag");
}

fn html_delegate_js(h: &mut super::engine::Hook<'_>, c: &super::engine::Caps<'_>) {
    let text = c.get(0).map_or("", |m| m.as_str());
    for (cls, t) in super::lex_with("javascript", text) {
        h.token(cls, &t);
    }
}

fn html_delegate_css(h: &mut super::engine::Hook<'_>, c: &super::engine::Caps<'_>) {
    let text = c.get(0).map_or("", |m| m.as_str());
    for (cls, t) in super::lex_with("css", text) {
        h.token(cls, &t);
    }
}

/// `html.rb` (tag html). `<script>`/`<style>` bodies go to the JavaScript/CSS tables; each
/// chunk starts that lexer afresh (Rouge continues its state across chunks).
pub static HTML: &[StateDef] = &[
    (
        "root",
        &[
            Rule(r"(?s)[^<&]+", "", Stay),
            Rule(r"&\S*?;", "ni", Stay),
            Rule(r"(?is)<!DOCTYPE .*?>", "cp", Stay),
            Rule(r"(?s)<!\[CDATA\[.*?\]\]>", "cp", Stay),
            Rule(r"<!--", "c", Push("comment")),
            Rule(r"(?s)<\?.*?\?>", "cp", Stay),
            Hook(r"<\s*script\s*", html_script),
            Hook(r"<\s*style\s*", html_style),
            Rule(r"</", "nt", Push("tag_end")),
            Rule(r"<", "nt", Push("tag_start")),
        ],
    ),
    (
        "tag_end",
        &[
            Mixin("tag_end_end"),
            Rule(HTML_NAME, "nt", Goto("tag_end_end")),
        ],
    ),
    (
        "tag_end_end",
        &[Rule(r"\s+", "", Stay), Rule(r">", "nt", Pop)],
    ),
    (
        "tag_start",
        &[
            Rule(r"\s+", "", Stay),
            Rule(HTML_NAME, "nt", Goto("tag")),
            Rule(r"", "", Goto("tag")),
        ],
    ),
    (
        "comment",
        &[
            Rule(r"[^-]+", "c", Stay),
            Rule(r"-->", "c", Pop),
            Rule(r"-", "c", Stay),
        ],
    ),
    (
        "tag",
        &[
            Rule(r"\s+", "", Stay),
            Rule(
                r"[\p{L}:_\[\]()*.-][\w\p{Cf}:.·\[\]()*-]*\s*=\s*",
                "na",
                Push("attr"),
            ),
            Rule(r"[\p{L}:_*#-][\w\p{Cf}:.·*#-]*", "na", Stay),
            Rule(r"/?\s*>", "nt", Pop),
        ],
    ),
    (
        "attr",
        &[
            Rule(r#"""#, "s", Goto("dq")),
            Rule(r"'", "s", Goto("sq")),
            Rule(r"[^\s>]+", "s", Pop),
        ],
    ),
    ("dq", &[Rule(r#"""#, "s", Pop), Rule(r#"[^"]+"#, "s", Stay)]),
    ("sq", &[Rule(r"'", "s", Pop), Rule(r"[^']+", "s", Stay)]),
    (
        "script_content",
        &[
            Hook(r"[^<]+", html_delegate_js),
            Rule(r"<\s*/\s*script\s*>", "nt", Pop),
            Hook(r"<", html_delegate_js),
        ],
    ),
    (
        "style_content",
        &[
            Hook(r"[^<]+", html_delegate_css),
            Rule(r"<\s*/\s*style\s*>", "nt", Pop),
            Hook(r"<", html_delegate_css),
        ],
    ),
];

mod css_hooks {
    //! The Ruby blocks of `css.rb`: word classification.
    use super::super::css_words::{ATTRIBUTES, BUILTINS, CONSTANTS, VENDOR_PREFIXES};
    use super::super::engine::{Caps, Hook};

    pub fn value_word(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = c.get(0).map_or("", |m| m.as_str());
        let cls = if CONSTANTS.binary_search(&m).is_ok() {
            "no"
        } else if BUILTINS.binary_search(&m).is_ok() {
            "nb"
        } else {
            "n"
        };
        h.token(cls, m);
    }

    pub fn close_at(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.token("p", c.get(0).map_or("", |m| m.as_str()));
        h.pop(2);
    }

    pub fn property(h: &mut Hook<'_>, c: &Caps<'_>) {
        let name = c.get(1).map_or("", |m| m.as_str());
        let cls = if ATTRIBUTES.binary_search(&name).is_ok()
            || VENDOR_PREFIXES.iter().any(|p| name.starts_with(p))
        {
            "nl"
        } else {
            "py"
        };
        h.token(cls, name);
        h.token("", c.get(2).map_or("", |m| m.as_str()));
        h.token("p", c.get(3).map_or("", |m| m.as_str()));
        h.push("stanza_value");
    }
}

/// `css.rb` (tag css).
pub static CSS: &[StateDef] = &[
    (
        "root",
        &[
            Mixin("basics"),
            Rule(r"\{", "p", Push("stanza")),
            Rule(r":[:]?[\p{L}_-][\w\p{Cf}-]*", "nd", Stay),
            Rule(r"\.[\p{L}_-][\w\p{Cf}-]*", "nc", Stay),
            Rule(r"#[\p{L}_-][\w\p{Cf}-]*", "nf", Stay),
            Rule(r"@[\p{L}_-][\w\p{Cf}-]*", "k", Push("at_rule")),
            Rule(r"[\p{L}_-][\w\p{Cf}-]*", "nt", Stay),
            Rule(r"[~^*!%&\[\]()<>|+=@:;,./?-]", "o", Stay),
            Rule(r#""(\\\\|\\"|[^"])*""#, "s1", Stay),
            Rule(r"'(\\\\|\\'|[^'])*'", "s2", Stay),
        ],
    ),
    (
        "value",
        &[
            Mixin("basics"),
            Rule(r"url\(.*?\)", "sx", Stay),
            Rule(r"(?i)#[0-9a-f]{1,6}", "m", Stay),
            Rule(
                r"-?(?:[0-9]+(\.[0-9]+)?|\.[0-9]+)(?:%|(?:em|px|pt|pc|in|mm|cm|ex|rem|ch|vw|vh|vmin|vmax|dpi|dpcm|dppx|deg|grad|rad|turn|s|ms|Hz|kHz)\b)?",
                "m",
                Stay,
            ),
            Rule(r"[\[\]():/.,]", "p", Stay),
            Rule(r#""(\\\\|\\"|[^"])*""#, "s1", Stay),
            Rule(r"'(\\\\|\\'|[^'])*'", "s2", Stay),
            Hook(r"[\p{L}_-][\w\p{Cf}-]*", css_hooks::value_word),
        ],
    ),
    (
        "at_rule",
        &[
            Rule(
                r"(?s)\{(?=\s*[\p{L}_-][\w\p{Cf}-]*\s*:)",
                "p",
                Push("at_stanza"),
            ),
            Rule(r"\{", "p", Push("at_body")),
            Rule(r";", "p", Pop),
            Mixin("value"),
        ],
    ),
    ("at_body", &[Mixin("at_content"), Mixin("root")]),
    ("at_stanza", &[Mixin("at_content"), Mixin("stanza")]),
    ("at_content", &[Hook(r"\}", css_hooks::close_at)]),
    (
        "basics",
        &[
            Rule(r"(?s)\s+", "", Stay),
            Rule(r"(?s)/\*(?:.*?)\*/", "c", Stay),
        ],
    ),
    (
        "stanza",
        &[
            Mixin("basics"),
            Rule(r"\}", "p", Pop),
            Hook(r"(?s)([\p{L}_-][\w\p{Cf}-]*)(\s*)(:)", css_hooks::property),
        ],
    ),
    (
        "stanza_value",
        &[
            Rule(r";", "p", Pop),
            Rule(r"(?=\})", "", Pop),
            Rule(r"!\s*important\b", "cp", Stay),
            Rule(r"^@.*?$", "cp", Stay),
            Mixin("value"),
        ],
    ),
];

mod py_hooks {
    //! The Ruby blocks of `python.rb`: identifier classes and the string register.
    use super::super::engine::{Caps, Hook};

    const KEYWORDS: &[&str] = &[
        "assert", "break", "continue", "del", "elif", "else", "except", "exec", "finally", "for",
        "global", "if", "lambda", "pass", "print", "raise", "return", "try", "while", "yield",
        "as", "with", "from", "import", "async", "await", "nonlocal",
    ];
    const BUILTINS: &[&str] = &[
        "__import__",
        "abs",
        "all",
        "any",
        "apply",
        "ascii",
        "basestring",
        "bin",
        "bool",
        "buffer",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "cmp",
        "coerce",
        "compile",
        "complex",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "execfile",
        "exit",
        "file",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "hex",
        "id",
        "input",
        "int",
        "intern",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "list",
        "locals",
        "long",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "property",
        "range",
        "raw_input",
        "reduce",
        "reload",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "unichr",
        "unicode",
        "vars",
        "xrange",
        "zip",
    ];
    const PSEUDO: &[&str] = &[
        "self",
        "None",
        "Ellipsis",
        "NotImplemented",
        "False",
        "True",
    ];
    const EXCEPTIONS: &[&str] = &[
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BaseException",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "EnvironmentError",
        "Exception",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "NotADirectoryError",
        "NotImplemented",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "OverflowWarning",
        "PendingDeprecationWarning",
        "ProcessLookupError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StandardError",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "VMSError",
        "Warning",
        "WindowsError",
        "ZeroDivisionError",
    ];

    fn m0<'c>(c: &'c Caps<'_>) -> &'c str {
        c.get(0).map_or("", |m| m.as_str())
    }

    pub fn id(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        let cls = if KEYWORDS.contains(&m) {
            "k"
        } else if EXCEPTIONS.contains(&m) || BUILTINS.contains(&m) {
            "nb"
        } else if PSEUDO.contains(&m) {
            "bp"
        } else {
            "n"
        };
        h.token(cls, m);
    }

    pub fn string_start(h: &mut Hook<'_>, c: &Caps<'_>) {
        let affix = c.get(1).map_or("", |m| m.as_str());
        let delim = c.get(2).map_or("", |m| m.as_str());
        h.token("sa", affix);
        h.token("s", delim);
        h.vars
            .strings
            .push((affix.to_lowercase(), delim.to_string()));
        h.push("generic_string");
    }

    pub fn delimiter(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        h.token("s", m);
        if h.vars.strings.last().is_some_and(|(_, d)| d == m) {
            h.vars.strings.pop();
            h.pop(1);
        }
    }

    fn is_type(h: &Hook<'_>, t: char) -> bool {
        h.vars.strings.last().is_some_and(|(ty, _)| ty.contains(t))
    }

    pub fn brace(h: &mut Hook<'_>, c: &Caps<'_>) {
        if is_type(h, 'f') {
            h.token("si", m0(c));
            h.push("generic_interpol");
        } else {
            h.token("s", m0(c));
        }
    }

    pub fn escape(h: &mut Hook<'_>, c: &Caps<'_>) {
        let cls = if is_type(h, 'r') { "s" } else { "se" };
        h.token(cls, m0(c));
        h.pop(1);
    }

    pub fn recurse(h: &mut Hook<'_>, c: &Caps<'_>) {
        for (cls, t) in super::super::lex_with("python", m0(c)) {
            h.token(cls, &t);
        }
    }
}

/// `python.rb` (tags python, py). f-string expressions are lexed afresh (as Rouge's
/// `recurse` does).
pub static PYTHON: &[StateDef] = &[
    (
        "root",
        &[
            Rule(r"(?s)\n+", "", Stay),
            Groups(
                r#"(?si)^(:)(\s*)([ru]{0,2}""".*?""")"#,
                &["p", "", "sd"],
                Stay,
            ),
            Rule(r"[^\S\n]+", "", Stay),
            Rule(r"#(.*)?\n?", "c1", Stay),
            Rule(r"[\[\]{}:(),;.]", "p", Stay),
            Rule(r"\\\n", "", Stay),
            Rule(r"\\", "", Stay),
            Rule(r"(in|is|and|or|not)\b", "ow", Stay),
            Rule(r"(<<|>>|//|\*\*)=?", "o", Stay),
            Rule(r"[-~+/*%=<>&^|@]=?|!=", "o", Stay),
            Groups(
                r"(from)((?:\\\s|\s)+)([\p{Alphabetic}_.][\p{Alphabetic}\p{Nd}_.]*)((?:\\\s|\s)+)(import)",
                &["kn", "", "nn", "", "kn"],
                Stay,
            ),
            Groups(
                r"(import)(\s+)([\p{Alphabetic}_.][\p{Alphabetic}\p{Nd}_.]*)",
                &["kn", "", "nn"],
                Stay,
            ),
            Groups(r"(def)((?:\s|\\\s)+)", &["k", ""], Push("funcname")),
            Groups(r"(class)((?:\s|\\\s)+)", &["k", ""], Push("classname")),
            Rule(r"`.*?`", "sb", Stay),
            Hook(r#"(?i)([rfbu]{0,2})('''|"""|['"])"#, py_hooks::string_start),
            Rule(
                r"(?i)@[\p{Alphabetic}_.][\p{Alphabetic}\p{Nd}_.]*",
                "nd",
                Stay,
            ),
            Hook(
                r"(?<!\.)[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}_]*",
                py_hooks::id,
            ),
            Rule(r"[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}_]*", "n", Stay),
            Rule(
                r"(?i)(([0-9](_?[0-9])*)?\.[0-9](_?[0-9])*|[0-9](_?[0-9])*\.)(e[+-]?[0-9](_?[0-9])*)?j?",
                "mf",
                Stay,
            ),
            Rule(r"(?i)[0-9](_?[0-9])*e[+-]?[0-9](_?[0-9])*j?", "mf", Stay),
            Rule(r"(?i)[0-9](_?[0-9])*j", "mf", Stay),
            Rule(r"(?i)0b(_?[0-1])+", "mb", Stay),
            Rule(r"(?i)0o(_?[0-7])+", "mo", Stay),
            Rule(r"(?i)0x(_?[a-f0-9])+", "mh", Stay),
            Rule(r"\d+L", "il", Stay),
            Rule(r"([1-9](_?[0-9])*|0(_?0)*)", "mi", Stay),
        ],
    ),
    (
        "funcname",
        &[Rule(
            r"[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}_]*",
            "nf",
            Pop,
        )],
    ),
    (
        "classname",
        &[Rule(
            r"[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}_]*",
            "nc",
            Pop,
        )],
    ),
    (
        "generic_string",
        &[
            Rule(r#"[^'"\\{]+"#, "s", Stay),
            Rule(r"\{\{", "s", Stay),
            Hook(r#"'''|"""|['"]"#, py_hooks::delimiter),
            Rule(r"(?=\\)", "s", Push("generic_escape")),
            Hook(r"\{", py_hooks::brace),
        ],
    ),
    (
        "generic_escape",
        &[
            Hook(
                r#"\\([\\abfnrtv"']|\n|newline|N\{[a-zA-Z][a-zA-Z ]+[a-zA-Z]\}|u[a-fA-F0-9]{4}|U[a-fA-F0-9]{8}|x[a-fA-F0-9]{2}|[0-7]{1,3})"#,
                py_hooks::escape,
            ),
            Rule(r"\\.", "s", Pop),
        ],
    ),
    (
        "generic_interpol",
        &[
            Hook(r"[^{}!:]+", py_hooks::recurse),
            Rule(r"![asr]", "si", Stay),
            Rule(r":", "si", Stay),
            Rule(r"\{", "si", Push("generic_interpol")),
            Rule(r"\}", "si", Pop),
        ],
    ),
];

fn docker_run_shell(h: &mut super::engine::Hook<'_>, c: &super::engine::Caps<'_>) {
    for (cls, t) in super::lex_with("shell", c.get(0).map_or("", |m| m.as_str())) {
        h.token(cls, &t);
    }
}

/// `docker.rb` (tags docker, dockerfile, Dockerfile). `RUN` bodies go to the shell table,
/// one chunk (line or continuation) at a time.
pub static DOCKER: &[StateDef] = &[
    (
        "root",
        &[
            Rule(r"\s+", "", Stay),
            Groups(
                r"(?i)^(FROM)(\s+)(.*)(\s+)(AS)(\s+)(.*)",
                &["k", "w", "s", "w", "k", "w", "s"],
                Stay,
            ),
            Groups(
                r"(?i)^(ONBUILD)(\s+)(FROM|MAINTAINER|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|STOPSIGNAL|HEALTHCHECK|SHELL)(.*)",
                &["k", "w", "k", "s"],
                Stay,
            ),
            Groups(
                r"(?i)^(FROM|MAINTAINER|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|STOPSIGNAL|HEALTHCHECK|SHELL)\b(.*)",
                &["k", "s"],
                Stay,
            ),
            Rule(r"#.*?$", "c", Stay),
            Rule(r"(?i)^(ONBUILD\s+)?RUN(\s+)", "k", Push("run")),
            Rule(r"\w+", "", Stay),
            Rule(r"[^\w]+", "", Stay),
            Rule(r".", "", Stay),
        ],
    ),
    (
        "run",
        &[
            Rule(r"\n", "", Pop),
            Rule(r"(?s)\\.", "se", Stay),
            Hook(r"(\\.|[^\n\\])+", docker_run_shell),
        ],
    ),
];

mod rust_hooks {
    //! The Ruby blocks of `rust.rb`: builtin names and macro delimiter counting.
    use super::super::engine::{Caps, Hook};

    const BUILTINS: &[&str] = &[
        "Add",
        "BitAnd",
        "BitOr",
        "BitXor",
        "bool",
        "c_char",
        "c_double",
        "c_float",
        "char",
        "c_int",
        "clock_t",
        "c_long",
        "c_longlong",
        "Cons",
        "Const",
        "Copy",
        "c_schar",
        "c_short",
        "c_uchar",
        "c_uint",
        "c_ulong",
        "c_ulonglong",
        "c_ushort",
        "c_void",
        "dev_t",
        "DIR",
        "dirent",
        "Div",
        "Either",
        "Eq",
        "Err",
        "f32",
        "f64",
        "Failure",
        "FILE",
        "float",
        "fpos_t",
        "i16",
        "i32",
        "i64",
        "i8",
        "isize",
        "Index",
        "ino_t",
        "int",
        "intptr_t",
        "Left",
        "mode_t",
        "Modulo",
        "Mul",
        "Neg",
        "Nil",
        "None",
        "Num",
        "off_t",
        "Ok",
        "Option",
        "Ord",
        "Owned",
        "pid_t",
        "Ptr",
        "ptrdiff_t",
        "Right",
        "Send",
        "Shl",
        "Shr",
        "size_t",
        "Some",
        "ssize_t",
        "str",
        "Sub",
        "Success",
        "time_t",
        "u16",
        "u32",
        "u64",
        "u8",
        "usize",
        "uint",
        "uintptr_t",
        "Box",
        "Vec",
        "String",
        "Gc",
        "Rc",
        "Arc",
        "u128",
        "i128",
        "Result",
        "Sync",
        "Pin",
        "Unpin",
        "Sized",
        "Drop",
        "drop",
        "Fn",
        "FnMut",
        "FnOnce",
        "Clone",
        "PartialEq",
        "PartialOrd",
        "AsMut",
        "AsRef",
        "From",
        "Into",
        "Default",
        "DoubleEndedIterator",
        "ExactSizeIterator",
        "Extend",
        "IntoIterator",
        "Iterator",
    ];

    fn m0<'c>(c: &'c Caps<'_>) -> &'c str {
        c.get(0).map_or("", |m| m.as_str())
    }

    pub fn name(h: &mut Hook<'_>, c: &Caps<'_>) {
        let m = m0(c);
        h.token(if BUILTINS.contains(&m) { "nb" } else { "n" }, m);
    }

    fn slot(close: &str) -> usize {
        match close {
            "]" => 0,
            ")" => 1,
            _ => 2,
        }
    }

    pub fn open(h: &mut Hook<'_>, c: &Caps<'_>) {
        let close = match m0(c) {
            "[" => "]",
            "(" => ")",
            _ => "}",
        };
        h.vars.macro_delims[slot(close)] += 1;
        h.token("p", m0(c));
    }

    pub fn close(h: &mut Hook<'_>, c: &Caps<'_>) {
        h.vars.macro_delims[slot(m0(c))] -= 1;
        if h.vars.macro_delims.iter().all(|d| *d == 0) {
            h.pop(1);
        }
        h.token("p", m0(c));
    }
}

/// `rust.rb` (tags rust, rs and the `rust,no_run`-style aliases).
pub static RUST: &[StateDef] = &[
    (
        "bol",
        &[
            Mixin("whitespace"),
            Rule(r"#\s[^\n]*", "cs", Stay),
            Rule(r"", "", Pop),
        ],
    ),
    (
        "attribute",
        &[
            Mixin("whitespace"),
            Mixin("has_literals"),
            Rule(r"[(,)=:]", "nd", Stay),
            Rule(r"\]", "nd", Pop),
            Rule(r"[\p{XID_Start}_]\p{XID_Continue}*", "nd", Stay),
        ],
    ),
    ("whitespace", &[Rule(r"\s+", "", Stay), Mixin("comments")]),
    (
        "comments",
        &[
            Rule(r"////+[^\n]*", "c1", Stay),
            Rule(r"//[/!][^\n]*", "cd", Stay),
            Rule(r"//[^\n]*", "c1", Stay),
            Rule(r"/\*\*\*?/", "cm", Stay),
            Rule(r"/\*\*\*+", "cm", Push("nested_plain_block")),
            Rule(r"/[*][*!]", "cd", Push("nested_doc_block")),
            Rule(r"/[*]", "cm", Push("nested_plain_block")),
        ],
    ),
    (
        "nested_plain_block",
        &[
            Rule(r"\*/", "cm", Pop),
            Rule(r"/\*", "cm", Push("nested_plain_block")),
            Rule(r"[^*/]+|[*/]", "cm", Stay),
        ],
    ),
    (
        "nested_doc_block",
        &[
            Rule(r"\*/", "cd", Pop),
            Rule(r"/\*", "cd", Push("nested_doc_block")),
            Rule(r"[^*/]+|[*/]", "cd", Stay),
        ],
    ),
    (
        "root",
        &[
            Rule(r"\n", "", Push("bol")),
            Mixin("whitespace"),
            Rule(r"#!?\[", "nd", Push("attribute")),
            Rule(
                r"\b(?:as|async|await|break|const|continue|crate|dyn|else|enum|extern|false|fn|for|if|impl|in|let|log|loop|match|mod|move|mut|pub|ref|return|self|Self|static|struct|super|trait|true|type|unsafe|use|where|while|abstract|become|box|do|final|macro|override|priv|typeof|unsized|virtual|yield|try|union)\b",
                "k",
                Stay,
            ),
            Mixin("has_literals"),
            Rule(r"[=-]>", "k", Stay),
            Rule(r"<->", "k", Stay),
            Rule(r"[()\[\]{}|,:;]", "p", Stay),
            Rule(r"[*/!@~&+%^<>=\?-]|\.{2,3}", "o", Stay),
            Rule(
                r"(?s)([.]\s*)?[\p{XID_Start}_]\p{XID_Continue}*(?=\s*[(])",
                "nf",
                Stay,
            ),
            Rule(r"[.]\s*await\b", "k", Stay),
            Rule(r"[.]\s*[\p{XID_Start}_]\p{XID_Continue}*", "py", Stay),
            Rule(r"[.]\s*\d+", "na", Stay),
            Groups(
                r"(?s)([\p{XID_Start}_]\p{XID_Continue}*)(::)",
                &["nn", "p"],
                Stay,
            ),
            Rule(r"\bmacro_rules!", "nd", Push("macro_rules")),
            Rule(r"[\p{XID_Start}_]\p{XID_Continue}*!", "nd", Push("macro")),
            Rule(r"'static\b", "k", Stay),
            Rule(r"'[\p{XID_Start}_]\p{XID_Continue}*", "nv", Stay),
            Hook(r"[\p{XID_Start}_]\p{XID_Continue}*", rust_hooks::name),
        ],
    ),
    (
        "macro",
        &[
            Mixin("has_literals"),
            Hook(r"[\[{(]", rust_hooks::open),
            Hook(r"[\]})]", rust_hooks::close),
            Rule(r"[\p{XID_Start}_]\p{XID_Continue}*!", "nd", Stay),
            Mixin("root"),
            Rule(r".", "", Stay),
        ],
    ),
    (
        "macro_rules",
        &[
            Rule(
                r"[$][\p{XID_Start}_]\p{XID_Continue}*(:[\p{XID_Start}_]\p{XID_Continue}*)?",
                "nv",
                Stay,
            ),
            Rule(r"[$]", "nv", Stay),
            Mixin("macro"),
        ],
    ),
    (
        "has_literals",
        &[
            Rule(r"\b(?:true|false)\b", "kc", Stay),
            Rule(
                r#"b?'(?:\\([nrt'"\\0]|x[0-9a-fA-F]{2}|u\{([0-9a-fA-F]_*){1,6}\})|[^\\])'"#,
                "sc",
                Stay,
            ),
            Rule(r#"b?""#, "s", Push("string")),
            Rule(r#"(?s)b?r(#*)".*?"\1"#, "s", Stay),
            Rule(
                r"[0-9][0-9_]*([.][0-9][0-9_]*([eE][-+]?[0-9_]+)?(f32|f64)?|([.][0-9][0-9_]*)?[eE][-+]?[0-9_]+(f32|f64)?|([.][0-9][0-9_]*)?([eE][-+]?[0-9_]+)?(f32|f64)|[.](?![._\p{XID_Start}]))",
                "mf",
                Stay,
            ),
            Rule(
                r"(0b[10_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)(u(8|16|32|64|128|size)?|i(8|16|32|64|128|size))?",
                "mi",
                Stay,
            ),
        ],
    ),
    (
        "string",
        &[
            Rule(r#"""#, "s", Pop),
            Rule(
                r#"\\([nrt'"\\0]|x[0-9a-fA-F]{2}|u\{([0-9a-fA-F]_*){1,6}\})"#,
                "se",
                Stay,
            ),
            Rule(r#"(?s)[^"\\]+"#, "s", Stay),
        ],
    ),
];
