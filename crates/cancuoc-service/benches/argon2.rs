//! What one password costs with each candidate Argon2id setting: a login
//! is one verification (one hash), setting a password one hash, and the
//! `hash+verify` row both. The chosen setting and the table of a run are
//! in `src/accounts.rs`'s module docs.
//!
//! Run: `cargo bench -p cancuoc-service --bench argon2` (sample size 10).

use std::time::Duration;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// (memory KiB, iterations): OWASP's minimum (argon2's default), its
/// equal-cost alternative with less memory, and stronger ones.
const CANDIDATES: [(u32, u32); 5] = [
    (19_456, 2),
    (12_288, 3),
    (47_104, 1),
    (65_536, 1),
    (65_536, 3),
];

fn argon2(m: u32, t: u32) -> Argon2<'static> {
    let params = Params::new(m, t, 1, None).expect("valid parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn bench(c: &mut Criterion) {
    let password = b"mat-khau-dai-du-123";
    let mut verify = c.benchmark_group("argon2id/verify");
    verify
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    for (m, t) in CANDIDATES {
        let a = argon2(m, t);
        let hash = a
            .hash_password_with_salt(password, b"bench-salt-16byt")
            .expect("hash")
            .to_string();
        verify.bench_function(BenchmarkId::from_parameter(format!("m={m},t={t}")), |b| {
            b.iter(|| a.verify_password(password, hash.as_str()).expect("matches"));
        });
    }
    verify.finish();
    let mut both = c.benchmark_group("argon2id/hash+verify");
    both.sample_size(10)
        .measurement_time(Duration::from_secs(4));
    for (m, t) in CANDIDATES {
        let a = argon2(m, t);
        both.bench_function(BenchmarkId::from_parameter(format!("m={m},t={t}")), |b| {
            b.iter(|| {
                let hash = a.hash_password(password).expect("hash").to_string();
                a.verify_password(password, hash.as_str()).expect("matches")
            });
        });
    }
    both.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
