//! `cancuoc id check` with stdin redirected from a regular file, which the
//! checker maps into memory and may share between two threads: the output
//! must be byte for byte what the same bytes give through a pipe (read in
//! blocks, one thread), whatever `CANCUOC_CHECK_THREADS` says. All numbers
//! are synthetic.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A temporary file removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "cancuoc-id-check-{}-{name}.txt",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("write temp file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

fn command(args: &[&str], threads: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cancuoc"));
    c.args(["--lang", "en", "id", "check"])
        .args(args)
        .env_remove("CANCUOC_LANG")
        .env_remove("CANCUOC_CHECK_THREADS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(t) = threads {
        c.env("CANCUOC_CHECK_THREADS", t);
    }
    c
}

fn from_file(file: std::fs::File, args: &[&str], threads: Option<&str>) -> Output {
    command(args, threads)
        .stdin(Stdio::from(file))
        .output()
        .expect("run cancuoc")
}

fn from_pipe(bytes: &[u8], args: &[&str]) -> Output {
    let mut child = command(args, Some("1"))
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn cancuoc");
    let mut pipe = child.stdin.take().expect("stdin");
    let bytes = bytes.to_vec();
    // Fed from a thread: the child fills its stdout pipe before it has read
    // everything.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    out
}

/// About 2.6 MB (more than the 1 MiB from which two threads are used by
/// default) of every kind of line: valid provinces and countries, `\r\n`,
/// blank, too short, too long, unknown region, letters, a non-ASCII digit,
/// bytes that are not UTF-8, spaces around and inside; a line longer than
/// a step; no newline at the end.
fn mixed_input() -> Vec<u8> {
    let mut input = Vec::new();
    let mut x: u32 = 7;
    for i in 0..200_000u32 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let id = format!(
            "{:03}{}{:02}{:06}",
            1 + i % 96,
            i % 4,
            i % 100,
            x % 1_000_000
        );
        let line: Vec<u8> = match i % 14 {
            0 => format!("{id}\r").into_bytes(),
            1 => Vec::new(),
            2 => id.as_bytes()[..11].to_vec(),
            3 => format!("{id}5").into_bytes(),
            4 => format!("099{}", &id[3..]).into_bytes(),
            5 => format!("{}Z{}", &id[..7], &id[8..]).into_bytes(),
            6 => format!("{}\u{FF13}{}", &id[..1], &id[2..]).into_bytes(),
            7 => [&id.as_bytes()[..3], b"\xfe", &id.as_bytes()[4..]].concat(),
            8 => format!("2{:02}{}", i % 95, &id[3..]).into_bytes(),
            9 => format!("  {id}\t").into_bytes(),
            10 => format!("{} {}", &id[..3], &id[3..]).into_bytes(),
            _ => id.into_bytes(),
        };
        input.extend_from_slice(&line);
        input.push(b'\n');
        if i == 120_000 {
            input.extend(std::iter::repeat_n(b'4', 300_000));
            input.push(b'\n');
        }
    }
    input.extend_from_slice(b"079199000001");
    input
}

#[test]
fn a_mapped_file_gives_the_piped_output_on_one_or_two_threads() {
    let input = mixed_input();
    let file = TempFile::new("mixed", &input);
    for args in [&[][..], &["--lenient"][..]] {
        let piped = from_pipe(&input, args);
        assert_eq!(piped.status.code(), Some(1));
        assert_eq!(
            piped.stdout.iter().filter(|&&b| b == b'\n').count(),
            200_002,
            "one verdict per line"
        );
        let summary = String::from_utf8(piped.stderr.clone()).expect("utf-8");
        assert!(summary.contains("Checked 200002 lines"), "{summary}");
        for threads in [None, Some("1"), Some("2")] {
            let f = std::fs::File::open(&file.0).expect("open");
            let mapped = from_file(f, args, threads);
            assert_eq!(mapped.status.code(), Some(1), "{args:?} {threads:?}");
            assert!(
                mapped.stdout == piped.stdout,
                "{args:?} {threads:?}: output differs"
            );
            assert_eq!(mapped.stderr, piped.stderr, "{args:?} {threads:?}");
        }
    }
    // `--json` numbers its lines (one thread whatever the setting).
    let piped = from_pipe(&input, &["--json"]);
    let f = std::fs::File::open(&file.0).expect("open");
    let mapped = from_file(f, &["--json"], Some("2"));
    assert!(mapped.stdout == piped.stdout, "--json output differs");
}

#[test]
fn a_file_is_read_from_its_current_position_to_its_end() {
    let input = b"001099012345\n00109901234\n079199000001\n101200000007\n";
    let file = TempFile::new("position", input);
    let mut f = std::fs::File::open(&file.0).expect("open");
    // As after `(head -n 2; cancuoc id check) < file`: the first two lines
    // were read by someone else.
    f.seek(SeekFrom::Start(25)).expect("seek");
    let mut ours = f.try_clone().expect("clone");
    let o = from_file(f, &[], None);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        String::from_utf8(o.stdout).expect("utf-8"),
        "valid\t079199000001\t079\tprovince\tfemale\t1999\n\
         valid\t101200000007\t101\tcountry\tmale\t2000\n"
    );
    // The shared file position moved to the end, as if the lines were read.
    let mut rest = Vec::new();
    ours.read_to_end(&mut rest).expect("read");
    assert!(rest.is_empty(), "{rest:?}");
}

#[test]
fn an_empty_file_checks_nothing() {
    let file = TempFile::new("empty", b"");
    let o = from_file(std::fs::File::open(&file.0).expect("open"), &[], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    assert!(
        String::from_utf8(o.stderr)
            .expect("utf-8")
            .contains("Checked 0 lines"),
    );
}
