//! Card specimen rendering: SVG, PNG (one side and both, 12 px/mm ≈ 300
//! dpi) and the two-page PDF of the synthetic sample card.
//!
//! `cargo bench -p cancuoc-render --bench card`

use cancuoc_core::card::{Card, CardModel};
use cancuoc_render::card::{
    DEFAULT_SCALE, Side, render_pdf, render_png, render_png_sides, render_svg,
};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let card = Card::sample();
    let both = [Side::Front, Side::Back];
    for model in [CardModel::Cccd2021, CardModel::CanCuoc2024] {
        let m = model.as_str();
        c.bench_function(&format!("svg {m} front"), |b| {
            b.iter(|| render_svg(black_box(&card), model, Side::Front, None).expect("svg"))
        });
        c.bench_function(&format!("png {m} front"), |b| {
            b.iter(|| {
                render_png(black_box(&card), model, Side::Front, None, DEFAULT_SCALE).expect("png")
            })
        });
        c.bench_function(&format!("png {m} both sides"), |b| {
            b.iter(|| {
                render_png_sides(black_box(&card), model, &both, None, DEFAULT_SCALE).expect("png")
            })
        });
        c.bench_function(&format!("pdf {m} both sides"), |b| {
            b.iter(|| render_pdf(black_box(&card), model, &both, None).expect("pdf"))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
