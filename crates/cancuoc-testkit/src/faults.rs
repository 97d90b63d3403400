//! Real faults for fault tests (lỗi thật): a small file system that a test
//! fills to the last byte and empties again (a tmpfs), or that the kernel
//! turns read-only under the open database as it does on an I/O error (an
//! ext4 image on a loop device, mounted `errors=remount-ro`, told to fail
//! through its `trigger_fs_error` switch), so the store meets "database or
//! disk is full" and a read-only file system as it would in production,
//! not a simulation of them.
//!
//! Mounting needs root (CAP_SYS_ADMIN). Without it a fault test prints a
//! skip line and passes, unless `CANCUOC_REQUIRE_FAULTS` is set, as
//! `scripts/test` sets it when it runs as root (CI), so that a broken set-up
//! fails the run instead of skipping the faults silently.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::unique;

/// Set (by `scripts/test` as root) to fail instead of skipping when a tmpfs
/// cannot be mounted.
pub const REQUIRE_FAULTS_VAR: &str = "CANCUOC_REQUIRE_FAULTS";

/// A small file system mounted for one test, unmounted (and its folder
/// and image removed) when dropped.
#[derive(Debug)]
pub struct FaultFs {
    dir: PathBuf,
    /// The ext4 image file behind the loop device (`None` for a tmpfs).
    image: Option<PathBuf>,
}

/// Runs a command; whether it succeeded.
fn run(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The skip line, or the failure under [`REQUIRE_FAULTS_VAR`].
fn cannot_mount(test: &str, what: &str) {
    assert!(
        std::env::var_os(REQUIRE_FAULTS_VAR).is_none(),
        "{REQUIRE_FAULTS_VAR} is set but {what} could not be mounted (root needed)"
    );
    eprintln!("SKIP {test}: cannot mount {what} here (root needed)");
}

impl FaultFs {
    /// Mounts a tmpfs of `megabytes` on a new folder, or prints a skip line
    /// for `test` and returns `None` when this process may not mount
    /// (panics instead when [`REQUIRE_FAULTS_VAR`] is set).
    pub fn tmpfs(test: &str, megabytes: u32) -> Option<FaultFs> {
        let dir = std::env::temp_dir().join(unique("cancuoc_fault"));
        std::fs::create_dir_all(&dir).expect("mount point");
        let size = format!("size={megabytes}m");
        if !run(Command::new("mount")
            .args(["-t", "tmpfs", "-o", &size, "tmpfs"])
            .arg(&dir))
        {
            let _ = std::fs::remove_dir(&dir);
            cannot_mount(test, "a tmpfs");
            return None;
        }
        Some(FaultFs { dir, image: None })
    }

    /// Makes an ext4 image of `megabytes` and mounts it through a loop
    /// device with `errors=remount-ro`, for [`FaultFs::fail_read_only`];
    /// `None` (a skip line) as [`FaultFs::tmpfs`].
    pub fn ext4(test: &str, megabytes: u32) -> Option<FaultFs> {
        let dir = std::env::temp_dir().join(unique("cancuoc_fault"));
        std::fs::create_dir_all(&dir).expect("mount point");
        let image = dir.with_extension("img");
        let made = std::fs::File::create(&image)
            .and_then(|f| f.set_len(u64::from(megabytes) << 20))
            .is_ok()
            && run(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&image));
        if !made
            || !run(Command::new("mount")
                .args(["-o", "loop,errors=remount-ro"])
                .arg(&image)
                .arg(&dir))
        {
            let _ = std::fs::remove_dir(&dir);
            let _ = std::fs::remove_file(&image);
            cannot_mount(test, "an ext4 loop image");
            return None;
        }
        Some(FaultFs {
            dir,
            image: Some(image),
        })
    }

    /// The mounted folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Fills the file system to its last byte with a file named `filler`;
    /// returns how many bytes it took.
    pub fn fill(&self) -> u64 {
        let path = self.dir.join("filler");
        let mut f = std::fs::File::create(&path).expect("filler");
        let block = vec![0u8; 64 * 1024];
        let mut written = 0u64;
        // Big blocks, then byte-sized ones, until the file system says no.
        for chunk in [block.len(), 4096, 1] {
            while f.write_all(&block[..chunk]).is_ok() {
                written += chunk as u64;
            }
        }
        let _ = f.sync_all();
        written
    }

    /// Frees the space [`FaultFs::fill`] took.
    pub fn empty(&self) {
        std::fs::remove_file(self.dir.join("filler")).expect("remove the filler");
    }

    /// Makes the kernel report an error on this ext4 file system, which
    /// (mounted `errors=remount-ro`) turns it read-only under every open
    /// file at once, as a failing disk does. Only [`FaultFs::ext4`].
    pub fn fail_read_only(&self) {
        let out = Command::new("findmnt")
            .args(["-n", "-o", "SOURCE"])
            .arg(&self.dir)
            .output()
            .expect("findmnt");
        let source = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let device = source.rsplit('/').next().unwrap_or_default();
        let switch = format!("/sys/fs/ext4/{device}/trigger_fs_error");
        std::fs::write(&switch, "cancuoc fault test\n")
            .unwrap_or_else(|e| panic!("write {switch}: {e}"));
    }

    /// What an operator does after [`FaultFs::fail_read_only`]: unmount,
    /// check and repair the file system (`e2fsck -fy`), mount it again
    /// read-write. Every file opened before is gone with the old mount:
    /// close the store first and open a new one after.
    pub fn repair(&self) {
        let image = self.image.as_ref().expect("repair is for ext4 images");
        assert!(run(Command::new("umount").arg(&self.dir)), "umount");
        // e2fsck exits 1 when it fixed something: both are a repaired fs.
        let fsck = Command::new("e2fsck")
            .arg("-fy")
            .arg(image)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("e2fsck");
        assert!(matches!(fsck.code(), Some(0 | 1)), "e2fsck: {fsck}");
        assert!(
            run(Command::new("mount")
                .args(["-o", "loop,errors=remount-ro"])
                .arg(image)
                .arg(&self.dir)),
            "mount again"
        );
    }
}

impl Drop for FaultFs {
    fn drop(&mut self) {
        // Lazily, so a connection a failed test left open does not keep
        // the mount (the loop device goes with the last reference).
        let _ = run(Command::new("umount").arg("-l").arg(&self.dir));
        let _ = std::fs::remove_dir(&self.dir);
        if let Some(image) = &self.image {
            let _ = std::fs::remove_file(image);
        }
    }
}

/// A PostgreSQL server of one test's own (`scripts/pg-test-server.sh`
/// with its own folder), which the test may stop and start under load
/// without disturbing the shared test server; stopped and removed when
/// dropped.
#[derive(Debug)]
pub struct PgServer {
    state: PathBuf,
    url: String,
}

impl PgServer {
    /// The script, from the workspace root.
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-server.sh")
    }

    fn run(&self, verb: &str) -> std::process::Output {
        Command::new(Self::script())
            .arg(verb)
            .env("CANCUOC_PG_STATE_DIR", &self.state)
            .output()
            .expect("run scripts/pg-test-server.sh")
    }

    /// Starts a new server, or prints a skip line for `test` and returns
    /// `None` when this machine has no PostgreSQL binaries (panics instead
    /// when `CANCUOC_REQUIRE_PG` is set, as for the shared server).
    pub fn start(test: &str) -> Option<PgServer> {
        let mut server = PgServer {
            state: std::env::temp_dir().join(unique("cancuoc_pg_fault")),
            url: String::new(),
        };
        let out = server.run("start");
        let line = String::from_utf8_lossy(&out.stdout);
        match line.trim().strip_prefix(&format!("{}=", crate::PG_URL_VAR)) {
            Some(url) if out.status.success() => {
                server.url = url.to_owned();
                Some(server)
            }
            _ => {
                assert!(
                    std::env::var_os(crate::REQUIRE_PG_VAR).is_none(),
                    "{} is set but a PostgreSQL server could not be started: {}",
                    crate::REQUIRE_PG_VAR,
                    String::from_utf8_lossy(&out.stderr)
                );
                eprintln!("SKIP {test}: no PostgreSQL server binaries here");
                None
            }
        }
    }

    /// The URL of its database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server (a fast shutdown: open sessions are ended, the
    /// data is kept).
    pub fn pause(&self) {
        let out = self.run("pause");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts it again on the same port, with the same data.
    pub fn resume(&self) {
        let out = self.run("resume");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.run("stop");
    }
}
