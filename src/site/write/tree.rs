//! The writer thread's file system work: files created under the temporary root relative to an
//! open handle of their folder, and the replaced destination removed on all cores.
//!
//! A registry site is ~15 files per collection, most of them small: per file, the system calls
//! are the cost. So a file is created with `O_EXCL` (that answers "was it written before?"
//! without a `stat`), consecutive files in one folder share that folder's handle (the kernel
//! walks one path component, not the whole path), and a static file's mode is set at creation
//! when the umask keeps it. Not for deciding what to write (`render`) or when to swap (`write`).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

use super::{Content, Job};

/// The temporary root being filled, with the folders made in it so far.
pub(super) struct Tree {
    root: PathBuf,
    made: HashSet<String>,
    #[cfg(unix)]
    root_fd: rustix::fd::OwnedFd,
    /// The folder of the last file written, open (files arrive grouped by folder).
    #[cfg(unix)]
    current: Option<(String, rustix::fd::OwnedFd)>,
}

impl Tree {
    pub(super) fn open(root: &Path) -> Result<Tree> {
        Ok(Tree {
            root: root.to_path_buf(),
            made: HashSet::new(),
            #[cfg(unix)]
            root_fd: open_folder(rustix::fs::CWD, root, false).at_path(root)?,
            #[cfg(unix)]
            current: None,
        })
    }

    /// Writes `jobs` in order; returns how many files are new.
    fn write_all(&mut self, jobs: &[Job]) -> Result<usize> {
        let mut new = 0;
        for (i, job) in jobs.iter().enumerate() {
            // A folder handle pays only for several files in a row (a registry's folders);
            // a page alone in its folder (a blog post) is created by its path from the root.
            let shared = jobs
                .get(i + 1)
                .is_some_and(|next| folder_of(&next.rel) == folder_of(&job.rel));
            new += usize::from(self.write(job, shared)?);
        }
        Ok(new)
    }

    /// Makes `folder` (relative to the root) and the folders above it that are missing.
    fn make_folder(&mut self, folder: &str) -> Result<()> {
        if folder.is_empty() || self.made.contains(folder) {
            return Ok(());
        }
        #[cfg(unix)]
        {
            use rustix::io::Errno;
            let mode = rustix::fs::Mode::from_raw_mode(0o777);
            match rustix::fs::mkdirat(&self.root_fd, folder, mode) {
                Ok(()) => {}
                Err(Errno::NOENT) => {
                    self.make_folder(folder_of(folder))?;
                    if let Err(e) = rustix::fs::mkdirat(&self.root_fd, folder, mode) {
                        if e != Errno::EXIST {
                            return Err(Error::io(&self.root.join(folder), e.into()));
                        }
                    }
                }
                // Made by the other handle on this root, or a file in the way (creating the
                // file in it then fails and names the path).
                Err(Errno::EXIST) => {}
                Err(e) => return Err(Error::io(&self.root.join(folder), e.into())),
            }
        }
        #[cfg(not(unix))]
        {
            let p = self.root.join(folder);
            std::fs::create_dir_all(&p).at_path(&p)?;
        }
        self.made.insert(folder.to_string());
        Ok(())
    }

    /// Writes one job; returns whether the file is new (not one written before). `shared`: the
    /// next job goes into the same folder.
    fn write(&mut self, job: &Job, shared: bool) -> Result<bool> {
        let (folder, name) = job.rel.rsplit_once('/').unwrap_or(("", &job.rel));
        self.make_folder(folder)?;
        let source = match &job.content {
            Content::Bytes(_) | Content::Shared(_) => None,
            Content::Copy(src) => {
                let f = std::fs::File::open(src).at_path(src)?;
                let meta = f.metadata().at_path(src)?;
                Some((f, meta, src))
            }
        };
        let mode = source.as_ref().map(|(_, m, _)| permission_bits(m));
        let created = self.create(folder, name, job.replace, mode, shared);
        let fail = |e: std::io::Error| Error::io(&self.root.join(&job.rel), e);
        let Some((mut file, new)) = created.map_err(fail)? else {
            return Ok(false);
        };
        match (&job.content, source) {
            (Content::Bytes(b), _) => file.write_all(b).map_err(fail)?,
            (Content::Shared(s), _) => file.write_all(s.as_bytes()).map_err(fail)?,
            (Content::Copy(_), Some((from, meta, src))) => {
                use std::io::Read;
                // Exactly the size `fstat` saw: the copy ends without a final empty read.
                std::io::copy(&mut from.take(meta.len()), &mut file).at_path(src)?;
                // As Jekyll: the copy keeps the source's permissions and modification time.
                if !new || !umask_keeps(mode.unwrap_or(0)) {
                    file.set_permissions(meta.permissions()).map_err(fail)?;
                }
                if let Ok(m) = meta.modified() {
                    file.set_modified(m).map_err(fail)?;
                }
            }
            (Content::Copy(_), None) => unreachable!("a copy job always has its source open"),
        }
        Ok(new)
    }

    /// Opens `folder/name` for writing: `Some((file, true))` when it was created now,
    /// `Some((file, false))` when it existed and `replace` truncates it, `None` when it existed
    /// and is left alone.
    #[cfg(unix)]
    fn create(
        &mut self,
        folder: &str,
        name: &str,
        replace: bool,
        mode: Option<u32>,
        shared: bool,
    ) -> std::io::Result<Option<(std::fs::File, bool)>> {
        use rustix::fs::{Mode, OFlags};
        use rustix::io::Errno;
        let current = self.current.as_ref().map(|(f, _)| f.as_str()) == Some(folder);
        if !folder.is_empty() && !current && shared {
            let fd = open_folder(&self.root_fd, folder, false)?;
            self.current = Some((folder.to_string(), fd));
        }
        let (dir, name) = match &self.current {
            Some((f, fd)) if !folder.is_empty() && f == folder => {
                (fd, std::borrow::Cow::Borrowed(name))
            }
            _ if folder.is_empty() => (&self.root_fd, std::borrow::Cow::Borrowed(name)),
            _ => (
                &self.root_fd,
                std::borrow::Cow::Owned(format!("{folder}/{name}")),
            ),
        };
        let name = name.as_ref();
        let flags = OFlags::WRONLY | OFlags::CLOEXEC;
        let mode = Mode::from_raw_mode(mode.unwrap_or(0o666) as _);
        match rustix::fs::openat(dir, name, flags | OFlags::CREATE | OFlags::EXCL, mode) {
            Ok(fd) => Ok(Some((fd.into(), true))),
            Err(Errno::EXIST) if replace => {
                let fd = rustix::fs::openat(dir, name, flags | OFlags::TRUNC, Mode::empty())?;
                Ok(Some((fd.into(), false)))
            }
            Err(Errno::EXIST) => {
                // Only a file written before yields; a folder in the way is an error.
                let st = rustix::fs::statat(dir, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)?;
                if rustix::fs::FileType::from_raw_mode(st.st_mode as _).is_dir() {
                    return Err(std::io::Error::from(Errno::ISDIR));
                }
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(unix))]
    fn create(
        &mut self,
        folder: &str,
        name: &str,
        replace: bool,
        _mode: Option<u32>,
        _shared: bool,
    ) -> std::io::Result<Option<(std::fs::File, bool)>> {
        let target = self.root.join(folder).join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(f) => Ok(Some((f, true))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && target.is_dir() => Err(e),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && replace => {
                Ok(Some((std::fs::File::create(&target)?, false)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Writes a batch of jobs in order, with `trees` (two handles on the same root); returns how
/// many files are new. A run of static copies that yield to files already there (`put_new`,
/// which come after every page) and name distinct paths is split between the two: none of
/// them can affect another, and the copies are most of a registry site's files.
pub(super) fn write_batch(trees: &mut [Tree; 2], batch: &[Job]) -> Result<usize> {
    let parallel = |j: &Job| !j.replace && matches!(j.content, Content::Copy(_));
    let mut new = 0;
    let mut rest = batch;
    while let Some(first) = rest.first() {
        let run = if parallel(first) {
            rest.iter().take_while(|j| parallel(j)).count()
        } else {
            1
        };
        let (now, later) = rest.split_at(run);
        rest = later;
        let distinct = || {
            let mut seen = HashSet::with_capacity(now.len());
            now.iter().all(|j| seen.insert(j.rel.as_str()))
        };
        if now.len() >= 8 && distinct() {
            let (a, b) = now.split_at(now.len() / 2);
            let [ta, tb] = trees;
            let (ra, rb) = rayon::join(|| ta.write_all(a), || tb.write_all(b));
            new += ra? + rb?;
        } else {
            new += trees[0].write_all(now)?;
        }
    }
    Ok(new)
}

/// The folder part of a `/`-separated relative path (`""` for a name alone).
fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Opens a folder: with `O_PATH` when it is only the base of `*at` calls, readable (and not
/// through a symlink) when it is to be listed.
#[cfg(unix)]
fn open_folder(
    at: impl rustix::fd::AsFd,
    path: impl rustix::path::Arg,
    listed: bool,
) -> std::io::Result<rustix::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    let how = if listed {
        OFlags::RDONLY | OFlags::NOFOLLOW
    } else {
        OFlags::PATH
    };
    let flags = how | OFlags::DIRECTORY | OFlags::CLOEXEC;
    Ok(rustix::fs::openat(at, path, flags, Mode::empty())?)
}

#[cfg(unix)]
fn permission_bits(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn permission_bits(_meta: &std::fs::Metadata) -> u32 {
    0
}

/// Whether a file created with `mode` ends up with exactly `mode` under this process's umask
/// (then no `fchmod` is needed). Read once from `/proc/self/status`: `umask(2)` itself would
/// have to change the mask to read it, which races with other threads creating files.
fn umask_keeps(mode: u32) -> bool {
    static UMASK: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    let umask = UMASK.get_or_init(|| {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
        u32::from_str_radix(line.trim(), 8).ok()
    });
    cfg!(unix) && umask.is_some_and(|u| mode & u == 0)
}

/// Removes the folder `path` and everything in it, its subfolders on all cores (a replaced
/// registry site is 150,000 files at 10,000 collections).
pub(super) fn remove_tree(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::fs::{AtFlags, CWD};
        remove_contents(open_folder(CWD, path, true)?)?;
        rustix::fs::unlinkat(CWD, path, AtFlags::REMOVEDIR)?;
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::remove_dir_all(path)
}

/// Empties the open `folder`: files here, subfolders in parallel (rayon's work stealing
/// balances a tree where one folder, `v2/`, holds most of the files).
#[cfg(unix)]
fn remove_contents(folder: rustix::fd::OwnedFd) -> std::io::Result<()> {
    use rayon::prelude::*;
    use rustix::fs::{AtFlags, FileType};
    let mut folders = vec![];
    let mut files = vec![];
    let mut listing = rustix::fs::Dir::new(folder)?;
    while let Some(entry) = listing.read() {
        let entry = entry?;
        let name = entry.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        match entry.file_type() {
            FileType::Directory => folders.push(name.to_owned()),
            FileType::Unknown => files.push((name.to_owned(), true)),
            _ => files.push((name.to_owned(), false)),
        }
    }
    let dir = listing.fd()?;
    for (name, unknown) in files {
        if unknown {
            let st = rustix::fs::statat(dir, &name, AtFlags::SYMLINK_NOFOLLOW)?;
            if FileType::from_raw_mode(st.st_mode as _) == FileType::Directory {
                folders.push(name);
                continue;
            }
        }
        rustix::fs::unlinkat(dir, &name, AtFlags::empty())?;
    }
    folders.par_iter().try_for_each(|name| {
        remove_contents(open_folder(dir, name.as_c_str(), true)?)?;
        rustix::fs::unlinkat(dir, name.as_c_str(), AtFlags::REMOVEDIR)?;
        Ok(())
    })
}
