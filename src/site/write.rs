//! Writes a rendered site: everything goes into a fresh temporary folder beside the
//! destination, which then replaces it in two renames, so a failed or killed build leaves the
//! destination as it was. Jekyll's `keep_files` (`.git`, `.svn`) are carried over.
//! [`SiteWriter`] takes files while the site renders and writes them on a thread of its own,
//! so a big site is never held in memory whole; [`Output`] collects them in memory instead
//! (for `render --check` and `serve`). Not for comparing trees (`check`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::error::{Error, IoContext, Result};

mod tree;

/// One output file's bytes: rendered text, or a static file to copy.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A rendered page the renderer also keeps (for templates that read its `output`).
    Shared(std::sync::Arc<String>),
    Copy(PathBuf),
}

impl Content {
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Content::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Content::Shared(s) => Ok(std::borrow::Cow::Borrowed(s.as_bytes())),
            Content::Copy(p) => Ok(std::borrow::Cow::Owned(std::fs::read(p).at_path(p)?)),
        }
    }
}

/// The rendered site: output path (relative, `/`-separated) → content.
pub type Output = BTreeMap<String, Content>;

const KEEP_FILES: &[&str] = &[".git", ".svn"];

/// Where the renderer puts output files.
pub trait Sink {
    /// Adds the file at `rel`, replacing one put there before (Jekyll: the last write wins).
    fn put(&mut self, rel: &str, content: Content) -> Result<()>;
    /// Adds the file at `rel` unless one is there already (static files yield to pages).
    fn put_new(&mut self, rel: &str, content: Content) -> Result<()>;
    /// How many files there are.
    fn count(&self) -> usize;
}

impl Sink for Output {
    fn put(&mut self, rel: &str, content: Content) -> Result<()> {
        self.insert(rel.to_string(), content);
        Ok(())
    }
    fn put_new(&mut self, rel: &str, content: Content) -> Result<()> {
        self.entry(rel.to_string()).or_insert(content);
        Ok(())
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// Writes `output` as the new content of `dest`.
pub fn write_site(output: &Output, dest: &Path) -> Result<()> {
    let mut w = SiteWriter::create(dest)?;
    for (rel, content) in output {
        w.put(rel, content.clone())?;
    }
    w.finish().map(|_| ())
}

/// Files handed to the writer thread at once (one wake-up per batch, not per file).
const BATCH: usize = 64;
/// Batches queued for the writer thread at most (bounds memory when the disk is slower than
/// rendering).
const QUEUE: usize = 4;

/// Writes a site while it renders: files go into a temporary folder beside `dest` on a
/// thread of its own; [`SiteWriter::finish`] swaps the folder in. Dropped without `finish`
/// (a render error), it removes the temporary folder and leaves `dest` as it was.
pub struct SiteWriter {
    dest: PathBuf,
    parent: PathBuf,
    /// Folders this writer created above `dest` (removed again, when empty, on failure).
    made_parents: Vec<PathBuf>,
    tmp: Option<tempfile::TempDir>,
    tx: Option<mpsc::SyncSender<Vec<Job>>>,
    /// Jobs not yet handed over (fewer than [`BATCH`]).
    pending: Vec<Job>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
    /// Distinct files written so far (the writer thread counts; read after `finish`'s join).
    count: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// One file for the writer thread; `replace: false` skips it when the file exists already.
/// The thread writes in order, so "exists" means "was put before" (no set of paths is kept:
/// on a 150,000-file site that set alone was ~17 MB).
struct Job {
    rel: String,
    content: Content,
    replace: bool,
}

impl SiteWriter {
    pub fn create(dest: &Path) -> Result<SiteWriter> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        let made_parents: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        std::fs::create_dir_all(&parent).at_path(&parent)?;
        let tmp = tempfile::Builder::new()
            .prefix(".static-registry-site-")
            .tempdir_in(&parent)
            .at_path(&parent)?;
        let root = tmp.path().to_path_buf();
        let mut trees = [tree::Tree::open(&root)?, tree::Tree::open(&root)?];
        let (tx, rx) = mpsc::sync_channel::<Vec<Job>>(QUEUE);
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = count.clone();
        let thread = std::thread::spawn(move || {
            for batch in rx {
                let new = tree::write_batch(&mut trees, &batch)?;
                counter.fetch_add(new, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        });
        Ok(SiteWriter {
            dest: dest.to_path_buf(),
            parent,
            made_parents,
            tmp: Some(tmp),
            tx: Some(tx),
            pending: Vec::with_capacity(BATCH),
            thread: Some(thread),
            count,
        })
    }

    fn send(&mut self, rel: &str, content: Content, replace: bool) -> Result<()> {
        self.pending.push(Job {
            rel: rel.to_string(),
            content,
            replace,
        });
        if self.pending.len() < BATCH {
            return Ok(());
        }
        self.flush()
    }

    /// Hands the pending jobs to the writer thread.
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        let sent = self
            .tx
            .as_ref()
            .map(|tx| tx.send(batch).is_ok())
            .unwrap_or(false);
        if !sent {
            // The thread stopped on an error: report it.
            return Err(self
                .join()
                .err()
                .unwrap_or_else(|| Error::at(&self.dest, "the site writer stopped unexpectedly")));
        }
        Ok(())
    }

    /// Waits for the writer thread: every queued file is on disk, or the first error.
    fn join(&mut self) -> Result<()> {
        self.tx = None;
        match self.thread.take().map(|t| t.join()) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err(Error::at(&self.dest, "the site writer thread panicked")),
        }
    }

    /// Swaps the written folder in as `dest`; returns how many files it holds.
    pub fn finish(mut self) -> Result<usize> {
        self.flush()?;
        self.join()?;
        let n = self.count();
        let Some(tmp) = self.tmp.take() else {
            return Ok(n);
        };
        self.made_parents.clear();
        swap_in(tmp, &self.dest, &self.parent)?;
        Ok(n)
    }
}

impl Sink for SiteWriter {
    fn put(&mut self, rel: &str, content: Content) -> Result<()> {
        self.send(rel, content, true)
    }
    fn put_new(&mut self, rel: &str, content: Content) -> Result<()> {
        self.send(rel, content, false)
    }
    /// Exact once the writer thread has finished (after `finish`, or on the thread's error).
    fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        let _ = self.join();
        self.tmp = None;
        for p in &self.made_parents {
            let _ = std::fs::remove_dir(p);
        }
    }
}

/// Replaces `dest` with the written folder `tmp` (in `parent`), keeping `KEEP_FILES`.
fn swap_in(tmp: tempfile::TempDir, dest: &Path, parent: &Path) -> Result<()> {
    let new_dir = tmp.keep();
    if dest.exists() {
        if !dest.is_dir() {
            let _ = std::fs::remove_dir_all(&new_dir);
            return Err(Error::at(
                dest,
                "exists and is not a folder; choose another destination",
            ));
        }
        for k in KEEP_FILES {
            let from = dest.join(k);
            if from.exists() {
                std::fs::rename(&from, new_dir.join(k)).at_path(&from)?;
            }
        }
        let old = parent.join(format!(
            ".static-registry-old-{}",
            dest.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if old.exists() {
            tree::remove_tree(&old).at_path(&old)?;
        }
        std::fs::rename(dest, &old).at_path(dest)?;
        if let Err(e) = std::fs::rename(&new_dir, dest) {
            let _ = std::fs::rename(&old, dest);
            return Err(Error::io(dest, e));
        }
        tree::remove_tree(&old).at_path(&old)?;
    } else {
        std::fs::rename(&new_dir, dest).at_path(dest)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_dropped_before_finish_leaves_everything_as_it_was() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("new/parents/_site");
        let mut w = SiteWriter::create(&dest).expect("create");
        w.put("a/index.html", Content::Bytes(b"x".to_vec()))
            .expect("put");
        drop(w);
        assert!(!root.path().join("new").exists(), "created parents removed");
        let kept = root.path().join("_site");
        std::fs::create_dir(&kept).expect("mkdir");
        std::fs::write(kept.join("old.html"), "old").expect("write");
        let mut w = SiteWriter::create(&kept).expect("create");
        w.put("index.html", Content::Bytes(b"new".to_vec()))
            .expect("put");
        drop(w);
        let names: Vec<_> = std::fs::read_dir(root.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("_site")]);
        assert_eq!(
            std::fs::read_to_string(kept.join("old.html")).unwrap(),
            "old"
        );
        assert!(!kept.join("index.html").exists());
    }

    #[test]
    fn static_copies_yield_to_pages_and_the_first_copy_of_a_path_wins() {
        let root = tempfile::tempdir().expect("tempdir");
        let src = root.path().join("src");
        std::fs::create_dir(&src).expect("mkdir");
        let source = |name: String, text: String| {
            let f = src.join(name);
            std::fs::write(&f, text).expect("write");
            Content::Copy(f)
        };
        let mut w = SiteWriter::create(&root.path().join("_site")).expect("create");
        w.put("s/5.txt", Content::Bytes(b"page".to_vec()))
            .expect("put");
        // Distinct paths: batches the writer splits between two threads.
        for i in 0..100 {
            let c = source(format!("{i}.txt"), format!("static {i}"));
            w.put_new(&format!("s/{i}.txt"), c).expect("put_new");
        }
        // Two copies aim at each path: the earlier one must win, as in a sequential write.
        for j in 0..40 {
            let c = source(format!("dup{j}.txt"), format!("dup {j}"));
            w.put_new(&format!("t/{}.txt", j % 20), c).expect("put_new");
        }
        assert_eq!(w.finish().expect("finish"), 1 + 99 + 20);
        let site = root.path().join("_site");
        let read = |rel: String| std::fs::read_to_string(site.join(rel)).expect("read");
        assert_eq!(read("s/5.txt".into()), "page");
        for i in (0..100).filter(|i| *i != 5) {
            assert_eq!(read(format!("s/{i}.txt")), format!("static {i}"));
        }
        for k in 0..20 {
            assert_eq!(read(format!("t/{k}.txt")), format!("dup {k}"));
        }
    }

    #[test]
    fn later_puts_win_and_put_new_yields() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("_site");
        let mut w = SiteWriter::create(&dest).expect("create");
        w.put("x.html", Content::Bytes(b"1".to_vec())).expect("put");
        w.put("x.html", Content::Bytes(b"2".to_vec())).expect("put");
        w.put_new("x.html", Content::Bytes(b"3".to_vec()))
            .expect("put_new");
        assert_eq!(w.finish().expect("finish"), 1);
        assert_eq!(std::fs::read_to_string(dest.join("x.html")).unwrap(), "2");
    }
}
