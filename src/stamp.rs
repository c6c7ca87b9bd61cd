//! File stamps: what `lstat` says about a file, to tell "unchanged since last run" without
//! reading it.
//!
//! A [`Stamp`] is (device, inode, size, mtime, ctime) from `lstat`. Editing a file in place
//! changes its mtime and ctime, replacing it (an atomic rename, `git checkout`) changes its
//! inode, and adding or removing a folder entry changes the folder's mtime. ctime cannot be set
//! from user space, so `touch -d` does not fool it. The one way to miss a change is a
//! timestamp tick: a file changed twice within one tick of its clock keeps the same stamp. So a
//! stamp only counts as evidence when it was taken well after the file's last change
//! ([`Stamp::settled_before`]); newer files are read again next time (git's "racy clean" rule).
//! Not a content hash: a stamp says "same file, untouched", never "same bytes as another file".

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What `lstat` reports about one path, or that it is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub is_symlink: bool,
}

/// Time a file system needs, past a change, before a stamp taken of the file is evidence.
/// Sub-second file systems (ext4, xfs, btrfs, tmpfs, APFS) stamp from a clock that ticks
/// every few milliseconds; second-granular ones (FAT: 2 s) are recognised by a zero
/// nanosecond part and get the longer margin.
const FINE_MARGIN: Duration = Duration::from_millis(25);
/// How long after writing a file a stamp of it is evidence on a sub-second file system.
pub const SETTLE: Duration = FINE_MARGIN;
const COARSE_MARGIN: Duration = Duration::from_secs(3);

/// An open folder that paths are stamped relative to, so the kernel does not walk the
/// folder's own path again for every file (a registry's stamps are ~16 per collection).
pub struct Dir {
    #[cfg(unix)]
    fd: rustix::fd::OwnedFd,
    #[cfg(not(unix))]
    path: std::path::PathBuf,
}

impl Dir {
    pub fn open(path: &Path) -> std::io::Result<Dir> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::open(
                path,
                OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Dir { fd })
        }
        #[cfg(not(unix))]
        Ok(Dir {
            path: path.to_path_buf(),
        })
    }
}

impl Stamp {
    /// The stamp of `path` (not following a final symlink); `Ok(None)` when it does not exist.
    pub fn of(path: &Path) -> std::io::Result<Option<Stamp>> {
        #[cfg(unix)]
        return Self::stat(rustix::fs::CWD, path);
        #[cfg(not(unix))]
        return Self::std_stat(path);
    }

    /// The stamp of `rel`, relative to `dir`.
    pub fn at(dir: &Dir, rel: &str) -> std::io::Result<Option<Stamp>> {
        #[cfg(unix)]
        return Self::stat(&dir.fd, rel);
        #[cfg(not(unix))]
        return Self::std_stat(&dir.path.join(rel));
    }

    #[cfg(unix)]
    #[allow(clippy::unnecessary_cast)] // field types differ between architectures
    fn stat(
        dir: impl rustix::fd::AsFd,
        path: impl rustix::path::Arg,
    ) -> std::io::Result<Option<Stamp>> {
        use rustix::fs::{AtFlags, FileType};
        match rustix::fs::statat(dir, path, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(Some(Stamp {
                dev: st.st_dev as u64,
                ino: st.st_ino as u64,
                size: st.st_size as u64,
                mtime_ns: st.st_mtime as i128 * 1_000_000_000 + st.st_mtime_nsec as i128,
                ctime_ns: st.st_ctime as i128 * 1_000_000_000 + st.st_ctime_nsec as i128,
                is_symlink: FileType::from_raw_mode(st.st_mode as _) == FileType::Symlink,
            })),
            Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(unix))]
    fn std_stat(path: &Path) -> std::io::Result<Option<Stamp>> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) => Ok(Some(Stamp::from_metadata(&meta))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The stamp from metadata already read with `symlink_metadata`.
    pub fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.size(),
                mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
                ctime_ns: meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128,
                is_symlink: meta.file_type().is_symlink(),
            }
        }
        #[cfg(not(unix))]
        {
            // No inode or ctime: the modification time and size are all there is; creation
            // time stands in for the inode so a replaced file still differs.
            let ns = |t: std::io::Result<SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as i128)
            };
            let mtime = ns(meta.modified());
            Stamp {
                dev: 0,
                ino: ns(meta.created()) as u64,
                size: meta.len(),
                mtime_ns: mtime,
                ctime_ns: mtime,
                is_symlink: meta.file_type().is_symlink(),
            }
        }
    }

    /// Whether this stamp, taken no earlier than `taken` (the clock read before the `lstat`),
    /// proves later changes will show: the file's last change is older than `taken` by more
    /// than a timestamp tick, so any change after the `lstat` gets a different ctime.
    pub fn settled_before(&self, taken: i128) -> bool {
        let coarse = self.ctime_ns % 1_000_000_000 == 0;
        let margin = if coarse { COARSE_MARGIN } else { FINE_MARGIN };
        self.ctime_ns + margin.as_nanos() as i128 <= taken
    }
}

/// The wall clock in nanoseconds since the epoch (the clock file timestamps come from).
pub fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_gets_a_different_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        assert_eq!(Stamp::of(&p).unwrap(), None);
        std::fs::write(&p, b"one").unwrap();
        let a = Stamp::of(&p).unwrap().unwrap();
        std::thread::sleep(FINE_MARGIN);
        std::fs::write(&p, b"two").unwrap(); // same size, in place
        let b = Stamp::of(&p).unwrap().unwrap();
        assert_ne!(
            a, b,
            "an in-place rewrite of the same size must change the stamp"
        );
        // Replacing by rename changes the inode even when the times could collide.
        let tmp = dir.path().join("g");
        std::fs::write(&tmp, b"two").unwrap();
        std::fs::rename(&tmp, &p).unwrap();
        let c = Stamp::of(&p).unwrap().unwrap();
        assert_ne!(b.ino, c.ino);
    }

    #[test]
    fn fresh_changes_are_not_yet_evidence() {
        let now = now_ns();
        let fine = Stamp {
            dev: 1,
            ino: 2,
            size: 3,
            mtime_ns: now - 1,
            ctime_ns: now - 1,
            is_symlink: false,
        };
        assert!(!fine.settled_before(now));
        assert!(fine.settled_before(now + FINE_MARGIN.as_nanos() as i128));
        let coarse = Stamp {
            ctime_ns: 1_000_000_000 * 1000,
            ..fine
        };
        assert!(!coarse.settled_before(1_000_000_000 * 1001));
        assert!(coarse.settled_before(1_000_000_000 * 1003));
    }
}
