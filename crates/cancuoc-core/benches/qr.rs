//! Benchmarks for the card QR payload codec (`qr`, criterion): parse of a
//! typical payload in each layout, of a rejected one, the cross-check
//! warnings, and encode. Synthetic data only.
use cancuoc_core::qr::CardQr;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const CLASSIC: &str = "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 12, Ngõ 3, Phường Mẫu, Quận Thử, Hà Nội|15072021\r\n";
const EXTENDED: &str = "079305001234||Trần Thị Bích Ngọc|15062005|Nữ|Thôn Thử, Xã Giả, Huyện Mẫu, Tỉnh Đắk Lắk|02082024||||";
/// Fails late: every field is read before the impossible issue date.
const BAD: &str = "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 12, Ngõ 3, Phường Mẫu, Quận Thử, Hà Nội|31022021";

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("qr");
    g.bench_function("parse_classic", |b| {
        b.iter(|| CardQr::parse(black_box(CLASSIC)))
    });
    g.bench_function("parse_extended_2024", |b| {
        b.iter(|| CardQr::parse(black_box(EXTENDED)))
    });
    g.bench_function("parse_bytes_classic", |b| {
        b.iter(|| CardQr::parse_bytes(black_box(CLASSIC.as_bytes())))
    });
    g.bench_function("parse_bad_date", |b| {
        b.iter(|| CardQr::parse(black_box(BAD)))
    });
    if let Ok(card) = CardQr::parse(CLASSIC) {
        g.bench_function("warnings", |b| b.iter(|| black_box(&card).warnings()));
        g.bench_function("to_payload", |b| b.iter(|| black_box(&card).to_payload()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
