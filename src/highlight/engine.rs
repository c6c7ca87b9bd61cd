//! A small re-implementation of Rouge's `RegexLexer`: named states, each an ordered list of
//! rules (regex → token class, optional state change) and mixins of other states. The first
//! rule whose regex matches at the current position wins; a position no rule matches becomes
//! one `err` character, as in Rouge. Adjacent tokens of the same class are merged, as Rouge's
//! `Lexer#lex` does, so the HTML has the same `<span>` boundaries.
//!
//! Regexes are written in Rouge's (Ruby) syntax as far as `fancy_regex` shares it; `$` is a
//! line end (multi-line mode, as in Ruby), and a rule whose pattern starts with `^` only runs
//! at the start of a line.

use std::collections::HashMap;
use std::sync::OnceLock;

use fancy_regex::Regex;

/// What a rule does with the state stack after emitting its token.
#[derive(Debug, Clone, Copy)]
pub enum Act {
    Stay,
    Push(&'static str),
    Pop,
    /// Pop, then push: Rouge's `goto`.
    Goto(&'static str),
    /// Push two states (the second on top).
    Push2(&'static str, &'static str),
}

/// One entry of a state.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    /// regex, token short class (`""` = plain text), action
    Rule(&'static str, &'static str, Act),
    /// regex, one class per capture group, action
    Groups(&'static str, &'static [&'static str], Act),
    /// include another state's rules here
    Mixin(&'static str),
    /// regex, then Ruby-code-like behaviour: the hook emits tokens and moves states itself
    Hook(&'static str, HookFn),
}

/// A rule body that needs code (Rouge rules with a block): it gets the match and the lexer's
/// state and does what the Ruby block did.
pub type HookFn = fn(&mut Hook<'_>, &Caps<'_>);

/// A match with its groups.
pub type Caps<'t> = fancy_regex::Captures<'t, str>;

/// Lexer variables that Rouge lexers keep in instance variables.
#[derive(Debug, Default)]
pub struct Vars {
    pub indent_stack: Vec<usize>,
    pub next_indent: usize,
    pub block_scalar_indent: Option<usize>,
    /// Python's string register: (prefix letters, delimiter) of the open strings.
    pub strings: Vec<(String, String)>,
    /// Rust macro delimiter depths for `]`, `)`, `}`.
    pub macro_delims: [i64; 3],
}

/// What a [`HookFn`] may do: emit tokens, change states, read and write [`Vars`].
pub struct Hook<'h> {
    out: &'h mut Vec<(&'static str, String)>,
    pub stack: &'h mut Vec<&'static str>,
    pub vars: &'h mut Vars,
}

impl Hook<'_> {
    pub fn token(&mut self, cls: &'static str, s: &str) {
        push_tok(self.out, cls, s);
    }
    pub fn push(&mut self, s: &'static str) {
        self.stack.push(s);
    }
    pub fn pop(&mut self, n: usize) {
        for _ in 0..n {
            if self.stack.len() > 1 {
                self.stack.pop();
            }
        }
    }
    pub fn goto(&mut self, s: &'static str) {
        self.pop(1);
        self.stack.push(s);
    }
}

fn push_tok(out: &mut Vec<(&'static str, String)>, cls: &'static str, s: &str) {
    if s.is_empty() {
        return;
    }
    match out.last_mut() {
        Some((c, v)) if *c == cls => v.push_str(s),
        _ => out.push((cls, s.to_string())),
    }
}

pub type StateDef = (&'static str, &'static [Entry]);

pub struct Lexer {
    states: HashMap<&'static str, Vec<Compiled>>,
    start: &'static [&'static str],
}

struct Compiled {
    re: Regex,
    /// Match against the whole text from the position (look-behind, `\b` at the start);
    /// otherwise against the rest of the text, anchored.
    whole: bool,
    bol: bool,
    tok: Tok,
    act: Act,
}

enum Tok {
    One(&'static str),
    Groups(&'static [&'static str]),
    Hook(HookFn),
}

impl Lexer {
    pub fn new(defs: &'static [StateDef], start: &'static [&'static str]) -> Lexer {
        let map: HashMap<&str, &[Entry]> = defs.iter().copied().collect();
        let mut states = HashMap::new();
        for (name, _) in defs {
            let mut rules = Vec::new();
            expand(&map, name, &mut rules, 0);
            states.insert(*name, rules);
        }
        Lexer { states, start }
    }

    /// Lexes `text` into merged `(class, text)` tokens.
    pub fn lex(&self, text: &str) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let mut vars = Vars {
            indent_stack: vec![0],
            ..Vars::default()
        };
        let mut stack: Vec<&'static str> = vec!["root"];
        stack.extend(self.start.iter().copied());
        let mut pos = 0;
        'outer: while pos < text.len() {
            let state = *stack.last().unwrap_or(&"root");
            let rules = &self.states[state];
            let bol = pos == 0 || text.as_bytes()[pos - 1] == b'\n';
            let rest = &text[pos..];
            for r in rules {
                if r.bol && !bol {
                    continue;
                }
                let (caps, base) = if r.whole {
                    match r.re.captures_from_pos(text, pos) {
                        Ok(Some(c)) if c.get(0).is_some_and(|m| m.start() == pos) => (c, pos),
                        _ => continue,
                    }
                } else {
                    match r.re.captures(rest) {
                        Ok(Some(c)) => (c, 0),
                        _ => continue,
                    }
                };
                let m = caps.get(0).expect("group 0");
                let m_end = m.end() - base;
                let changes_state = !matches!(r.act, Act::Stay) || matches!(r.tok, Tok::Hook(_));
                if m_end == 0 && !changes_state {
                    continue;
                }
                match r.tok {
                    Tok::One(c) => push_tok(&mut out, c, m.as_str()),
                    Tok::Groups(cs) => {
                        for (i, c) in cs.iter().enumerate() {
                            if let Some(g) = caps.get(i + 1) {
                                push_tok(&mut out, c, g.as_str());
                            }
                        }
                    }
                    Tok::Hook(f) => {
                        let before = (stack.clone(), out.len());
                        let mut h = Hook {
                            out: &mut out,
                            stack: &mut stack,
                            vars: &mut vars,
                        };
                        f(&mut h, &caps);
                        // An empty match that changed nothing would loop forever.
                        if m_end == 0 && before == (stack.clone(), out.len()) {
                            continue;
                        }
                    }
                }
                match r.act {
                    Act::Stay => {}
                    Act::Push(s) => stack.push(s),
                    Act::Pop => {
                        if stack.len() > 1 {
                            stack.pop();
                        }
                    }
                    Act::Push2(a, b) => {
                        stack.push(a);
                        stack.push(b);
                    }
                    Act::Goto(s) => {
                        if stack.len() > 1 {
                            stack.pop();
                        }
                        stack.push(s);
                    }
                }
                pos += m_end;
                continue 'outer;
            }
            let c = rest.chars().next().expect("not at end");
            push_tok(&mut out, "err", &rest[..c.len_utf8()]);
            pos += c.len_utf8();
        }
        out
    }
}

fn expand(
    map: &HashMap<&str, &'static [Entry]>,
    name: &str,
    out: &mut Vec<Compiled>,
    depth: usize,
) {
    assert!(depth < 16, "mixin cycle at {name}");
    let entries = map
        .get(name)
        .unwrap_or_else(|| panic!("lexer state {name} is not defined"));
    for e in entries.iter() {
        let (pat, tok, act) = match *e {
            Entry::Mixin(m) => {
                expand(map, m, out, depth + 1);
                continue;
            }
            Entry::Rule(p, c, a) => (p, Tok::One(c), a),
            Entry::Groups(p, cs, a) => (p, Tok::Groups(cs), a),
            Entry::Hook(p, f) => (p, Tok::Hook(f), Act::Stay),
        };
        let whole = pat.contains("(?<") || pat.starts_with("\\b") || pat.starts_with("\\B");
        let (bol, body) = match pat.strip_prefix('^') {
            Some(b) if !whole => (true, b),
            _ => (false, pat),
        };
        let src = if whole {
            format!("(?m:{body})")
        } else {
            format!(r"\A(?m:{body})")
        };
        let re = Regex::new(&src).unwrap_or_else(|e| panic!("bad lexer regex {pat:?}: {e}"));
        out.push(Compiled {
            re,
            whole,
            bol,
            tok,
            act,
        });
    }
}

/// Lazily compiled lexer, one per language table.
pub struct LazyLexer {
    cell: OnceLock<Lexer>,
    defs: &'static [StateDef],
    start: &'static [&'static str],
}

impl LazyLexer {
    /// `start`: states pushed over `root` before lexing (Rouge's `start { push … }`).
    pub const fn new(defs: &'static [StateDef], start: &'static [&'static str]) -> LazyLexer {
        LazyLexer {
            cell: OnceLock::new(),
            defs,
            start,
        }
    }

    pub fn get(&self) -> &Lexer {
        self.cell.get_or_init(|| Lexer::new(self.defs, self.start))
    }
}
