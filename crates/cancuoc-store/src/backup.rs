//! Backups of an SQLite file store and their restore (sao lưu và khôi
//! phục): [`copy_sqlite`], behind `cancuoc backup` and `cancuoc restore`.
//! PostgreSQL is backed up with its own tools (`pg_dump -Fc`,
//! `pg_restore`; README, "Backups").
//!
//! A store is two files that matter, named as [`SqliteFiles::of`] names
//! them: the main file and its accounts file `<stem>.accounts.db` (the
//! citizens' identity accounts and the channels' conversations; see
//! `db::connect_accounts`). A copy writes both, under the same naming
//! beside the target, so `--database-url sqlite://COPY` opens the copy as
//! it is. The captcha side file (`<stem>.captcha.db`) holds challenges that
//! live minutes and is not copied.
//!
//! Each file is copied with `VACUUM INTO`, chosen over the online backup
//! API (`sqlite3_backup_*`):
//!
//! * `VACUUM INTO` is one read transaction: the copy is the database as of
//!   one commit, however long it takes and however much the server writes
//!   meanwhile (under WAL readers never wait for the writer, nor it for
//!   them). The backup API copies in steps to report progress, and
//!   restarts from the first page whenever another connection writes
//!   between two steps, so under a steady write load (a transition every
//!   few milliseconds) a large file never finishes; in one step it holds a
//!   read transaction as `VACUUM INTO` does, without the benefits below.
//! * It reads every row through the B-trees, so a damaged page stops the
//!   copy with an error instead of being copied silently, and the copy is
//!   compact (no free pages).
//! * It needs no feature of `rusqlite` beyond those the store already uses.
//!
//! The cost: a long read transaction keeps the source's WAL from being
//! reset until it ends (the log grows by what is written meanwhile), and
//! rebuilding the copy takes more CPU than copying pages. Progress is the
//! size the copy has reached against the source's used pages.
//!
//! The accounts file is copied first, the main file second: an account
//! names a citizen of the main file, citizens are never deleted, so every
//! citizen an account of the copy names is in the later copy of the main
//! file. (There is no transaction across the two files; the server never
//! writes them together either.)
//!
//! Each file is written under a temporary name in the target folder,
//! synced (`fsync`), made readable by its owner only (it holds the
//! population's personal data), then renamed into place, and the folder
//! synced: a crash leaves the old target or the new one, never half a
//! file. A target that exists is refused unless `overwrite`; an
//! overwritten target's `-wal` and `-shm` files are removed first, since
//! SQLite would read a stale log into the new file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cancuoc_core::i18n::Localized;
use rusqlite::{Connection, OpenFlags};

/// The files of an SQLite file store that a backup holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqliteFiles {
    /// The main file (`cancuoc.db`).
    pub main: PathBuf,
    /// Its accounts file (`cancuoc.accounts.db`).
    pub accounts: PathBuf,
}

impl SqliteFiles {
    /// The files of the store whose main file is `main`, named as the
    /// store names them.
    pub fn of(main: &Path) -> Self {
        Self {
            main: main.to_path_buf(),
            accounts: crate::db::accounts_file(main),
        }
    }

    /// The files of an `sqlite://PATH` URL; `None` for PostgreSQL and
    /// in-memory databases.
    pub fn of_url(url: &str) -> Option<Self> {
        crate::db::sqlite_file(url).map(|p| Self::of(&p))
    }
}

/// Which file a [`CopyProgress`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The accounts file (copied first).
    Accounts,
    /// The main file.
    Main,
}

impl Part {
    /// `accounts` or `main`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Part::Accounts => "accounts",
            Part::Main => "main",
        }
    }
}

/// How far a copy is: `done` bytes written of about `total` (the source's
/// used pages; the compact copy may end below it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopyProgress {
    /// The file being written.
    pub part: Part,
    /// Bytes written so far.
    pub done: u64,
    /// Bytes expected.
    pub total: u64,
}

/// What [`copy_sqlite`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// The files written.
    pub files: SqliteFiles,
    /// The main file's size in bytes.
    pub main_bytes: u64,
    /// The accounts file's size in bytes.
    pub accounts_bytes: u64,
}

/// Why a backup or a restore did not happen (nothing was replaced).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The target exists and overwriting was not asked for.
    #[error("{}", Localized::message_en(self))]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A file the copy needs does not exist.
    #[error("{}", Localized::message_en(self))]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file is not an SQLite database.
    #[error("{}", Localized::message_en(self))]
    NotSqlite {
        /// The file.
        path: PathBuf,
    },
    /// The source and the target are the same file.
    #[error("{}", Localized::message_en(self))]
    SameFile {
        /// The file.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{}", Localized::message_en(self))]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused the copy (a damaged source, a full disk).
    #[error("{}", Localized::message_en(self))]
    Sqlite {
        /// The file being copied.
        path: PathBuf,
        /// SQLite's message.
        detail: String,
    },
}

impl Localized for BackupError {
    fn code(&self) -> &'static str {
        match self {
            BackupError::Exists { .. } => "backup.exists",
            BackupError::Missing { .. } => "backup.missing",
            BackupError::NotSqlite { .. } => "backup.not_sqlite",
            BackupError::SameFile { .. } => "backup.same_file",
            BackupError::Io { .. } => "backup.io",
            BackupError::Sqlite { .. } => "backup.sqlite",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            BackupError::Exists { path } => {
                format!("{} đã có; dùng --force để ghi đè", path.display())
            }
            BackupError::Missing { path } => format!("không có tệp {}", path.display()),
            BackupError::NotSqlite { path } => {
                format!("{} không phải cơ sở dữ liệu SQLite", path.display())
            }
            BackupError::SameFile { path } => {
                format!("nguồn và đích là cùng một tệp {}", path.display())
            }
            BackupError::Io { path, source } => format!("{}: {source}", path.display()),
            BackupError::Sqlite { path, detail } => {
                format!("SQLite không sao chép được {}: {detail}", path.display())
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            BackupError::Exists { path } => {
                format!("{} exists; use --force to overwrite it", path.display())
            }
            BackupError::Missing { path } => format!("no such file: {}", path.display()),
            BackupError::NotSqlite { path } => {
                format!("{} is not an SQLite database", path.display())
            }
            BackupError::SameFile { path } => {
                format!(
                    "the source and the target are the same file {}",
                    path.display()
                )
            }
            BackupError::Io { path, source } => format!("{}: {source}", path.display()),
            BackupError::Sqlite { path, detail } => {
                format!("SQLite could not copy {}: {detail}", path.display())
            }
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How long the copy waits for a lock on the source (WAL recovery by
/// another process, a checkpoint resetting the log).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the copy's size is read for progress.
const POLL: Duration = Duration::from_millis(200);

/// Copies the SQLite store whose main file is `from` to the main file `to`
/// and its accounts file beside it (see the module documentation):
/// consistent while a server writes `from`, synced, replacing an existing
/// target only with `overwrite` (stop whatever uses the target first).
/// `progress` is called a few times a second.
pub fn copy_sqlite(
    from: &Path,
    to: &Path,
    overwrite: bool,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<Copied, BackupError> {
    let src = SqliteFiles::of(from);
    let dst = SqliteFiles::of(to);
    for p in [&src.main, &src.accounts] {
        if !p.is_file() {
            return Err(BackupError::Missing { path: p.clone() });
        }
        is_sqlite(p)?;
    }
    for (s, d) in [(&src.main, &dst.main), (&src.accounts, &dst.accounts)] {
        if d.exists() {
            if same_file(s, d) {
                return Err(BackupError::SameFile { path: d.clone() });
            }
            if !overwrite {
                return Err(BackupError::Exists { path: d.clone() });
            }
        }
    }
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let parts = [
        (Part::Accounts, &src.accounts, &dst.accounts),
        (Part::Main, &src.main, &dst.main),
    ];
    // Both copies made and synced before either replaces anything.
    let mut made = Vec::with_capacity(2);
    for (part, s, d) in parts {
        let tmp = temporary(d);
        match vacuum_into(part, s, &tmp, progress) {
            Ok(bytes) => made.push((tmp, d, bytes)),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                for (t, _, _) in &made {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
        }
    }
    let mut sizes = [0u64; 2];
    for (i, (tmp, d, bytes)) in made.into_iter().enumerate() {
        for stale in [suffixed(d, "-wal"), suffixed(d, "-shm")] {
            match std::fs::remove_file(&stale) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&stale)(e)),
            }
        }
        std::fs::rename(&tmp, d).map_err(io(d))?;
        sizes[i] = bytes;
    }
    sync_dir(&dir)?;
    Ok(Copied {
        files: dst,
        accounts_bytes: sizes[0],
        main_bytes: sizes[1],
    })
}

/// `path` with `suffix` appended to its file name (`x.db` → `x.db-wal`).
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The temporary name a copy is written under, beside its target.
fn temporary(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "cancuoc.db".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Whether two paths name one file (both exist).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Refuses a file that does not start with SQLite's header.
fn is_sqlite(path: &Path) -> Result<(), BackupError> {
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map(|()| head == *b"SQLite format 3\0");
    match read {
        Ok(true) => Ok(()),
        Ok(false) => Err(BackupError::NotSqlite {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(BackupError::NotSqlite {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(io(path)(e)),
    }
}

/// `VACUUM INTO tmp` from `src` on a thread of its own while this one
/// reports the copy's size; then syncs it and makes it owner-only.
/// Returns its size.
fn vacuum_into(
    part: Part,
    src: &Path,
    tmp: &Path,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<u64, BackupError> {
    let sqlite = |e: rusqlite::Error| BackupError::Sqlite {
        path: src.to_path_buf(),
        detail: e.to_string(),
    };
    match std::fs::remove_file(tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(tmp)(e)),
    }
    // Read-write without create, as the status read path opens: a
    // read-only open of a WAL file fails when its `-shm` is missing.
    let conn = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
    let total: i64 = conn
        .query_row(
            "SELECT (page_count - freelist_count) * page_size \
             FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
            [],
            |r| r.get(0),
        )
        .map_err(sqlite)?;
    let total = u64::try_from(total).unwrap_or(0);
    let target = tmp.to_string_lossy().into_owned();
    // The copy runs on its own thread; this one reports its size until
    // the thread says it is done (or is gone: it panicked).
    let (sent, done) = std::sync::mpsc::channel();
    let outcome = std::thread::scope(|s| {
        let job = s.spawn(move || {
            let _ = sent.send(conn.execute("VACUUM INTO ?1", [target]));
        });
        let outcome = loop {
            match done.recv_timeout(POLL) {
                Ok(r) => break Some(r),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let size = std::fs::metadata(tmp).map_or(0, |m| m.len());
                    progress(CopyProgress {
                        part,
                        done: size.min(total),
                        total,
                    });
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break None,
            }
        };
        // Joined here, so a panic of the copy is an error, not a panic.
        job.join().ok().and(outcome)
    });
    match outcome {
        Some(Ok(_)) => {}
        Some(Err(e)) => return Err(sqlite(e)),
        None => {
            return Err(BackupError::Sqlite {
                path: src.to_path_buf(),
                detail: "the copying thread panicked".to_owned(),
            });
        }
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(tmp)
        .map_err(io(tmp))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io(tmp))?;
    }
    file.sync_all().map_err(io(tmp))?;
    let bytes = file.metadata().map_err(io(tmp))?.len();
    progress(CopyProgress {
        part,
        done: bytes,
        total: bytes,
    });
    Ok(bytes)
}

/// Syncs a folder, so the renames in it survive a crash.
fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
