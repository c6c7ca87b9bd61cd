//! The render-time state: variable scopes, the global environment, Liquid's registers
//! (cycle positions, `for` offsets, `ifchanged`), the host and the page being rendered.
//!
//! Liquid keeps `assign`/`capture` in the outermost scope, loop variables in inner scopes, and
//! `increment`/`decrement` counters in the first *environment* (Jekyll's shared payload), so
//! the counters live in [`Context::globals`] and outlive one render when the caller keeps
//! the globals (see [`Context::take_globals`]).
//!
//! Not for: parsing, or what tags do with this state (see `tags/`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A word-at-a-time multiplicative hash (FxHash's scheme): variable names are short and
/// trusted, so SipHash's cost buys nothing here, and eight bytes per step beat FNV's one.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHash(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHash {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
}

/// One variable scope: a short list searched by a one-word signature of each name, with a
/// hash index once it grows long. Scopes hold a few names (`item` and `forloop` in a loop,
/// `include` in an include), and every lookup walks them from the innermost out, so hashing
/// the name for each scope cost more than comparing a word per entry. Keys are borrowed for
/// the names tags set on every call (`include`, `forloop`), owned for template names.
#[derive(Default)]
pub(crate) struct Scope {
    entries: Vec<(u64, Cow<'static, str>, Value)>,
    /// Name → position in `entries`, kept once there are more than [`Scope::LINEAR`].
    index: Option<HashMap<Cow<'static, str>, usize, BuildHasherDefault<WordHash>>>,
}

/// A name's length and first seven bytes in one word: equal words mean equal names when the
/// names are at most seven bytes long.
/// Built without `copy_from_slice` of a variable length, which is a `memcpy` call: one per
/// variable lookup, a million in a run of the Liquid benchmark.
#[inline]
fn signature(name: &str) -> u64 {
    let b = name.as_bytes();
    use crate::bytescan::{le_u32, le_u64};
    let head = match b.len() {
        8.. => le_u64(b, 0) & 0x00ff_ffff_ffff_ffff,
        // Overlapping loads: bytes read twice land on the same bits.
        0 => 0,
        n @ 1..=3 => {
            u64::from(b[0])
                | u64::from(b[n / 2]) << (8 * (n / 2))
                | u64::from(b[n - 1]) << (8 * (n - 1))
        }
        n => u64::from(le_u32(b, 0)) | u64::from(le_u32(b, n - 4)) << (8 * (n - 4)),
    };
    head | (b.len().min(255) as u64) << 56
}

impl Scope {
    const LINEAR: usize = 16;

    // Always inlined: as a call, saving and restoring registers cost more than the scan of a
    // scope's two or three entries.
    #[inline(always)]
    fn position(&self, sig: u64, name: &str) -> Option<usize> {
        if let Some(index) = &self.index {
            return index.get(name).copied();
        }
        self.entries
            .iter()
            .position(|(s, k, _)| *s == sig && (name.len() <= 7 || k.as_ref() == name))
    }

    #[inline(always)]
    fn get(&self, sig: u64, name: &str) -> Option<&Value> {
        self.position(sig, name).map(|i| &self.entries[i].2)
    }

    /// Sets `name` (replacing its value when present; the key is made only when absent).
    fn set(&mut self, name: &str, key: impl FnOnce() -> Cow<'static, str>, value: Value) {
        let sig = signature(name);
        match self.position(sig, name) {
            Some(i) => self.entries[i].2 = value,
            None => {
                let key = key();
                if let Some(index) = &mut self.index {
                    index.insert(key.clone(), self.entries.len());
                }
                self.entries.push((sig, key, value));
                if self.index.is_none() && self.entries.len() > Self::LINEAR {
                    self.reindex();
                }
            }
        }
    }

    fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.position(signature(name), name)?;
        let (_, _, v) = self.entries.swap_remove(i);
        if self.index.is_some() {
            self.reindex();
        }
        Some(v)
    }

    fn reindex(&mut self) {
        self.index = Some(
            self.entries
                .iter()
                .enumerate()
                .map(|(i, (_, k, _))| (k.clone(), i))
                .collect(),
        );
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    fn capacity(&self) -> usize {
        self.entries.capacity()
    }
}

use std::sync::Arc;

use super::host::Host;
use super::parser::Template;
use super::value::{Hash, Value};

/// What a missing variable reads as (lookups hand out references).
static NIL: Value = Value::Nil;

/// An interrupt raised by `break` / `continue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupt {
    Break,
    Continue,
}

/// Deepest include nesting before we stop (Ruby would overflow its stack; we error).
pub const MAX_DEPTH: usize = 100;

pub struct Context<'h> {
    /// Innermost scope last. `scopes[0]` is where `assign` writes.
    pub(crate) scopes: Vec<Scope>,
    /// The environment: the top-level data (Jekyll's payload: `site`, `page`, ...).
    pub(crate) globals: Hash,
    pub(crate) host: &'h dyn Host,
    /// Pending `break`/`continue`s (a stack, as in Liquid: a `break` inside `tablerow` is
    /// not consumed there and stops the enclosing loops).
    pub(crate) interrupts: Vec<Interrupt>,
    pub(crate) cycles: HashMap<String, usize>,
    pub(crate) for_offsets: HashMap<String, i64>,
    pub(crate) ifchanged: Option<String>,
    pub(crate) page_path: String,
    pub(crate) depth: usize,
    /// Loop iterations left before the render stops (Liquid's resource limits; none by
    /// default, as in Jekyll).
    pub(crate) steps_left: Option<u64>,
    /// Emptied scopes kept for reuse: `if`, `for` and `include` push one per call, and a
    /// reused map keeps its table (no allocation per include in a 1,000-item loop).
    spare: Vec<Scope>,
    /// Includes resolved during this render, by name (Jekyll's `cached_partials` register):
    /// an include in a loop asks the host once, not once per item.
    pub(crate) includes: HashMap<Box<str>, Arc<Template>, BuildHasherDefault<WordHash>>,
    /// The last `include` parameter hash nobody kept, refilled by the next include call.
    pub(crate) spare_params: Option<Arc<Hash>>,
}

impl<'h> Context<'h> {
    pub fn new(host: &'h dyn Host) -> Self {
        Context {
            scopes: vec![Scope::default()],
            globals: Hash::default(),
            host,
            interrupts: Vec::new(),
            cycles: HashMap::new(),
            for_offsets: HashMap::new(),
            ifchanged: None,
            page_path: "index.html".into(),
            depth: 0,
            steps_left: None,
            spare: Vec::new(),
            includes: HashMap::default(),
            spare_params: None,
        }
    }

    /// A context over existing globals (e.g. kept from a previous render so `increment`
    /// counters carry over, as they do across one Jekyll build).
    pub fn with_globals(host: &'h dyn Host, globals: Hash) -> Self {
        let mut c = Context::new(host);
        c.globals = globals;
        c
    }

    /// Sets a top-level variable (`site`, `page`, or a test case's data).
    pub fn set_global(&mut self, name: &str, value: Value) {
        self.globals.insert(name.to_string(), value);
    }

    pub fn globals(&self) -> &Hash {
        &self.globals
    }

    /// Hands the globals back (with any `increment` counters) for the next render.
    pub fn take_globals(&mut self) -> Hash {
        std::mem::take(&mut self.globals)
    }

    /// The site-relative path of the page being rendered (for `include_relative`).
    pub fn set_page_path(&mut self, path: &str) {
        self.page_path = path.to_string();
    }

    pub fn page_path(&self) -> &str {
        &self.page_path
    }

    pub fn host(&self) -> &'h dyn Host {
        self.host
    }

    /// Looks a variable up: innermost scope first, then the environment.
    pub fn find_variable(&self, name: &str) -> Value {
        self.find_ref(name).clone()
    }

    /// [`Context::find_variable`] without the clone (nil when undefined).
    pub(crate) fn find_ref(&self, name: &str) -> &Value {
        let sig = signature(name);
        for scope in self.scopes.iter().rev() {
            if let Some(v) = scope.get(sig, name) {
                return v;
            }
        }
        self.globals.get(name).unwrap_or(&NIL)
    }

    /// Sets a variable in the innermost scope (`context[name] = value`).
    pub fn set_local(&mut self, name: &str, value: Value) {
        if let Some(s) = self.scopes.last_mut() {
            // Loops set the same names every iteration: the key is reused.
            s.set(name, || Cow::Owned(name.to_string()), value);
        }
    }

    /// [`Context::set_local`] for a fixed name (no key allocation in a fresh scope).
    pub(crate) fn set_local_static(&mut self, name: &'static str, value: Value) {
        if let Some(s) = self.scopes.last_mut() {
            s.set(name, || Cow::Borrowed(name), value);
        }
    }

    /// Takes a variable out of the innermost scope (so a tag can reuse its value).
    pub(crate) fn take_local(&mut self, name: &str) -> Option<Value> {
        self.scopes.last_mut()?.remove(name)
    }

    /// Sets a variable in the outermost scope (`assign`, `capture`).
    pub fn assign(&mut self, name: &str, value: Value) {
        self.scopes[0].set(name, || Cow::Owned(name.to_string()), value);
    }

    /// Caps the loop iterations of one render (for untrusted templates and fuzzing).
    pub fn set_step_limit(&mut self, steps: u64) {
        self.steps_left = Some(steps);
    }

    /// Counts one loop iteration against the limit, if there is one.
    pub(crate) fn step(&mut self) -> Result<(), super::LiquidError> {
        if let Some(n) = self.steps_left.as_mut() {
            if *n == 0 {
                return Err(super::LiquidError::runtime(
                    "Liquid::MemoryError",
                    "Memory limits exceeded",
                ));
            }
            *n -= 1;
        }
        Ok(())
    }

    pub(crate) fn push_scope(&mut self) {
        let s = self.spare.pop().unwrap_or_default();
        self.scopes.push(s);
    }

    pub(crate) fn pop_scope(&mut self) {
        if self.scopes.len() > 1 {
            if let Some(mut s) = self.scopes.pop() {
                if s.capacity() > 0 && self.spare.len() < 64 {
                    s.clear();
                    self.spare.push(s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: Option<&Value>) -> Option<i64> {
        match v {
            Some(Value::Int(i)) => Some(*i),
            Some(_) => Some(i64::MIN),
            None => None,
        }
    }

    #[test]
    fn a_signature_is_the_length_and_first_seven_bytes() {
        for name in [
            "",
            "a",
            "item",
            "forloop",
            "include",
            "abcdefgh",
            "abcdefgh1",
            "é€",
        ] {
            let b = name.as_bytes();
            let mut w = [0u8; 8];
            let n = b.len().min(7);
            w[..n].copy_from_slice(&b[..n]);
            w[7] = b.len().min(255) as u8;
            assert_eq!(signature(name), u64::from_le_bytes(w), "{name}");
        }
    }

    #[test]
    fn scopes_find_set_replace_and_remove_names_short_and_long() {
        // Names that share a signature prefix, short and long, past the linear limit.
        let mut names: Vec<String> = vec![
            "item".into(),
            "items".into(),
            "abcdefg".into(),
            "abcdefgh".into(),
            "abcdefgh1".into(),
            "abcdefgh2".into(),
            "".into(),
        ];
        names.extend((0..30).map(|i| format!("v{i}")));
        for count in [5, names.len()] {
            let mut s = Scope::default();
            for (i, n) in names[..count].iter().enumerate() {
                s.set(n, || Cow::Owned(n.clone()), Value::Int(i as i64));
            }
            for (i, n) in names[..count].iter().enumerate() {
                assert_eq!(int(s.get(signature(n), n)), Some(i as i64), "{n}");
            }
            assert_eq!(int(s.get(signature("abcdefgh3"), "abcdefgh3")), None);
            s.set(
                "abcdefgh",
                || unreachable!("the key exists"),
                Value::Int(-1),
            );
            assert_eq!(int(s.get(signature("abcdefgh"), "abcdefgh")), Some(-1));
            assert_eq!(int(s.remove("item").as_ref()), Some(0));
            assert_eq!(int(s.get(signature("item"), "item")), None);
            assert_eq!(int(s.get(signature("items"), "items")), Some(1));
            let last = &names[count - 1];
            assert_eq!(int(s.get(signature(last), last)), Some(count as i64 - 1));
        }
    }
}
