//! `cancuoc seed`: fills the database with synthetic citizens and dossiers
//! (dữ liệu mẫu) for demos, load tests and benchmarks.
//!
//! Citizens are drawn from realistic distributions (see `synth::tables`)
//! and written by one bulk load (`Store::begin_citizen_load`): one
//! transaction for all of them, fed chunk by chunk through a three-stage
//! pipeline — one chunk drawn, the next reserving its range of every
//! prefix's counter (in memory on an SQLite file, see `CitizenLoad`) and
//! getting personal IDs from the deployment's allocator, the one before
//! written. An interrupted or
//! failed seed leaves the citizens and counters as they were; the load
//! commits at the end, with the name index built then on an empty table.
//! Dossiers follow workflow-valid paths over the past year (see
//! `synth::dossiers`) and go in by chunks, each chunk one transaction (never
//! a dossier without its log). The same `--seed` and `--today` give the same
//! names, dates, states and dossier codes (personal IDs also depend on the
//! data directory's allocator key). When the database has no offices, the
//! demo office tree and its officers are created first.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::alloc::{Allocator, IdPrefix};
use cancuoc_store::{CitizenBatch, CitizenId, OfficeLevel, Store};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::Date;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::Ctx;
use crate::config::{DbArgs, Layer, Settings, now_secs, runtime, today_vn};
use crate::output::{EXIT_OK, pick, print_json};
use crate::synth::dossiers::{Actors, DossierGen};
use crate::synth::{CitizenGen, world};

/// Citizens per bulk insert (one transaction each).
const CITIZEN_CHUNK: usize = 50_000;
/// Dossiers per bulk insert (one transaction each).
const DOSSIER_CHUNK: usize = 20_000;

/// Fill the database with synthetic citizens and dossiers.
#[derive(Args, Debug)]
pub struct SeedArgs {
    /// How many citizens to add.
    #[arg(long, default_value_t = 1000)]
    citizens: usize,
    /// How many dossiers to add (each for one of the new citizens).
    #[arg(long, default_value_t = 0)]
    dossiers: usize,
    /// Seed of the random generator: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Reference day for ages and dossier dates, YYYY-MM-DD [default: today
    /// in Vietnam]; with it, events run to the end of that day.
    #[arg(long, value_name = "DATE", value_parser = crate::usage::date)]
    today: Option<Date>,
    /// Write the new dossiers here, one per line: code, state and version
    /// separated by tabs (for load tests).
    #[arg(long, value_name = "FILE")]
    codes_out: Option<PathBuf>,
    /// Print a JSON summary (counts, rates, bytes per citizen).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// What a seed run did.
#[derive(Debug, serde::Serialize)]
struct Summary {
    citizens: usize,
    dossiers: usize,
    citizen_seconds: f64,
    citizens_per_second: f64,
    dossier_seconds: f64,
    dossiers_per_second: f64,
    /// SQLite only: database + WAL file size.
    db_bytes: Option<u64>,
    /// SQLite only: db_bytes / citizens in the database.
    bytes_per_citizen: Option<f64>,
    created_offices: bool,
}

/// Runs `cancuoc seed`.
pub fn run(args: SeedArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if args.dossiers > 0 && args.citizens == 0 {
        bail!(
            "{}",
            pick(
                ctx.lang,
                "--dossiers cần --citizens > 0 (hồ sơ được lập cho công dân mới tạo)",
                "--dossiers needs --citizens > 0 (dossiers are for the new citizens)"
            )
        );
    }
    let settings = Settings::for_db(&args.db, Layer::default())?;
    let allocator = settings.allocator(ctx.lang)?;
    runtime()?.block_on(async {
        let store = settings.open_store(ctx.lang).await?;
        let out = seed(&store, &allocator, &args, ctx).await;
        store.close().await;
        let mut summary = out?;
        if settings.is_sqlite() {
            let path = settings
                .database_url
                .expose()
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:")
                .to_owned();
            let size = |p: String| std::fs::metadata(p).map_or(0, |m| m.len());
            let bytes = size(path.clone()) + size(format!("{path}-wal"));
            summary.db_bytes = Some(bytes);
            let total = Store::connect(settings.database_url.expose())
                .await
                .ok()
                .map(|s| async move {
                    let c = s.counts().await.map(|c| c.citizens).unwrap_or(0);
                    s.close().await;
                    c
                });
            if let Some(f) = total {
                let n = f.await;
                if n > 0 {
                    summary.bytes_per_citizen = Some(bytes as f64 / n as f64);
                }
            }
        }
        report(&summary, args.json, ctx)?;
        Ok(EXIT_OK)
    })
}

fn report(s: &Summary, json: bool, ctx: &Ctx) -> anyhow::Result<()> {
    if json {
        return print_json(s);
    }
    println!(
        "{} {} {} ({:.1} s, {:.0}/s), {} {} ({:.1} s, {:.0}/s).",
        pick(ctx.lang, "Đã tạo", "Created"),
        s.citizens,
        pick(ctx.lang, "công dân", "citizens"),
        s.citizen_seconds,
        s.citizens_per_second,
        s.dossiers,
        pick(ctx.lang, "hồ sơ", "dossiers"),
        s.dossier_seconds,
        s.dossiers_per_second,
    );
    if let (Some(b), Some(per)) = (s.db_bytes, s.bytes_per_citizen) {
        println!(
            "{}: {b} bytes, {per:.0} bytes/{}",
            pick(ctx.lang, "Cơ sở dữ liệu", "Database"),
            pick(ctx.lang, "công dân", "citizen")
        );
    }
    Ok(())
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>10} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, {eta})",
    ) {
        pb.set_style(style);
    }
    pb.set_message(what.to_owned());
    pb
}

/// The offices to receive at and who acts for each role; creates the demo
/// tree when there are no offices. Returns (actors, reception offices,
/// residence provinces, created).
async fn office_setup(
    store: &Store,
    gen_names: &mut dyn FnMut(usize) -> String,
    today: Date,
    ctx: &Ctx,
) -> anyhow::Result<(Actors, Vec<u16>, Vec<u16>, bool)> {
    let mut offices = store.list_offices().await?;
    let mut created = false;
    if offices.is_empty() {
        let posted = world::create(store, now_secs(), gen_names).await?;
        created = true;
        eprintln!(
            "{} ({} {}).",
            pick(
                ctx.lang,
                "Cơ sở dữ liệu chưa có đơn vị nào: đã tạo cây đơn vị mẫu",
                "The database had no offices: created the demo office tree"
            ),
            posted.len(),
            pick(ctx.lang, "cán bộ", "officers")
        );
        offices = store.list_offices().await?;
    }
    let mut actors = Actors::default();
    let mut reception = Vec::new();
    // Dossiers are received where the public is received today: district
    // police before 01/03/2025, commune police since (each verifying its
    // own residents' data), the province when nothing below it receives.
    for o in &offices {
        match o.level {
            OfficeLevel::NpdCentre => actors.centre = o.code,
            OfficeLevel::District if o.receives_public_on(today) => reception.push(o.code),
            OfficeLevel::Commune => {
                if let Some(p) = o.parent {
                    actors.commune_of.entry(p).or_insert(o.code);
                }
                if o.receives_public_on(today) {
                    reception.push(o.code);
                    actors.commune_of.insert(o.code, o.code);
                }
            }
            _ => {}
        }
        for f in store.officers_of_office(o.code).await? {
            if !f.active {
                continue;
            }
            if f.role == Role::Admin && actors.admin.is_none() {
                actors.admin = Some(f.id);
            }
            actors.by_post.entry((o.code, f.role)).or_insert(f.id);
        }
    }
    // Only where someone works the desk.
    reception.retain(|c| actors.by_post.contains_key(&(*c, Role::Receptionist)));
    if reception.is_empty() {
        reception = offices
            .iter()
            .filter(|o| o.level == OfficeLevel::Province)
            .map(|o| o.code)
            .collect();
    }
    if reception.is_empty() {
        bail!("no district or provincial office to receive dossiers at");
    }
    let demo_codes: Vec<u16> = world::offices().iter().map(|o| o.code).collect();
    let is_demo = demo_codes
        .iter()
        .all(|c| offices.iter().any(|o| o.code == *c));
    let residence = if is_demo {
        world::DEMO_PROVINCES.to_vec()
    } else {
        Vec::new()
    };
    Ok((actors, reception, residence, created))
}

/// A drawn chunk of citizens, prepared for the load but without personal
/// IDs yet: each citizen's prefix and its place among the chunk's citizens
/// of that prefix, and how many each prefix needs (one reservation for the
/// chunk).
struct Drawn {
    chunk: CitizenBatch,
    slots: Vec<(IdPrefix, u32)>,
    wants: Vec<(IdPrefix, u32)>,
}

/// Draws `n` citizens; hands the generator state back with them.
fn draw_citizens(
    people: &CitizenGen,
    mut rng: StdRng,
    n: usize,
) -> (StdRng, anyhow::Result<Drawn>) {
    let mut chunk = Vec::with_capacity(n);
    let mut slots = Vec::with_capacity(n);
    let mut counts: HashMap<IdPrefix, u32> = HashMap::new();
    for _ in 0..n {
        let s = people.citizen(&mut rng);
        let prefix = match IdPrefix::new(s.region, s.record.sex, s.record.dob.year()) {
            Ok(p) => p,
            Err(e) => return (rng, Err(anyhow::anyhow!(e.message_en()))),
        };
        let count = counts.entry(prefix).or_insert(0);
        slots.push((prefix, *count));
        *count += 1;
        chunk.push(s.record);
    }
    // A stable order, so runs with the same seed write the same audit rows.
    let mut wants: Vec<(IdPrefix, u32)> = counts.into_iter().collect();
    wants.sort_unstable();
    // The derived columns (name key, …) are computed here, on the drawing
    // thread, not on the one writing the previous chunk.
    let chunk = match CitizenBatch::prepare(chunk) {
        Ok(c) => c,
        Err(e) => return (rng, Err(e.into())),
    };
    (
        rng,
        Ok(Drawn {
            chunk,
            slots,
            wants,
        }),
    )
}

/// Gives each citizen of a drawn chunk its personal ID, from the first
/// index reserved for each prefix (`firsts`, in the order of
/// `drawn.wants`), and puts the chunk in personal ID order for the load.
fn number_citizens(
    drawn: Drawn,
    firsts: &[u32],
    allocator: &Allocator,
) -> anyhow::Result<CitizenBatch> {
    let Drawn {
        mut chunk,
        slots,
        wants,
    } = drawn;
    let first: HashMap<IdPrefix, u32> = wants
        .iter()
        .map(|w| w.0)
        .zip(firsts.iter().copied())
        .collect();
    for (i, (prefix, k)) in slots.iter().enumerate() {
        let Some(&base) = first.get(prefix) else {
            bail!("no ID counter range was reserved for a prefix of this chunk");
        };
        let id = allocator
            .allocate(*prefix, base + k)
            .map_err(|e| anyhow::anyhow!(e.message_en()))?;
        chunk.set_personal_id(i, id);
    }
    chunk.sort_by_personal_id();
    Ok(chunk)
}

/// Writes `n` (> 0) citizens by one bulk load (one transaction, see
/// `Store::begin_citizen_load`), fed chunk by chunk through a three-stage
/// pipeline so both cores of a small machine stay busy: while the load's
/// thread writes chunk k, a blocking thread numbers chunk k+1 (personal IDs
/// from the reserved counter ranges, then personal ID order) and another
/// draws chunk k+2. Returns the new citizens' ids (chunk by chunk, each in
/// personal-ID order) and the generator's state after the last draw.
async fn load_citizens(
    store: &Store,
    allocator: &Allocator,
    people: &Arc<CitizenGen>,
    rng: StdRng,
    n: usize,
    pb: &ProgressBar,
    ctx: &Ctx,
) -> anyhow::Result<(Vec<CitizenId>, StdRng)> {
    let mut ids: Vec<CitizenId> = Vec::with_capacity(n);
    let draw = |rng: StdRng, n: usize| {
        let people = Arc::clone(people);
        tokio::task::spawn_blocking(move || draw_citizens(&people, rng, n))
    };
    let mut load = store.begin_citizen_load(None, now_secs()).await?;
    let mut next = Some(draw(rng, CITIZEN_CHUNK.min(n)));
    let mut drawn_total = 0usize;
    let mut numbered: Option<CitizenBatch> = None;
    let mut rng = None;
    loop {
        let numbering = match next.take() {
            None => None,
            Some(pending) => {
                let (back, drawn) = pending.await?;
                let drawn = drawn?;
                drawn_total += drawn.chunk.len();
                if drawn_total < n {
                    next = Some(draw(back, CITIZEN_CHUNK.min(n - drawn_total)));
                } else {
                    rng = Some(back);
                }
                let firsts = load.reserve_id_indexes(&drawn.wants).await?;
                let allocator = allocator.clone();
                Some(tokio::task::spawn_blocking(move || {
                    number_citizens(drawn, &firsts, &allocator)
                }))
            }
        };
        let writing = async {
            match numbered.take() {
                Some(batch) => load.insert(batch).await.map(Some),
                None => Ok(None),
            }
        };
        let numbering = async {
            match numbering {
                Some(task) => Some(task.await),
                None => None,
            }
        };
        let (written, numbering) = tokio::join!(writing, numbering);
        if let Some(new) = written? {
            ids.extend(new);
            pb.set_position(ids.len() as u64);
        }
        match numbering {
            Some(batch) => numbered = Some(batch??),
            None => break,
        }
    }
    pb.set_message(pick(ctx.lang, "chỉ mục", "indexing").to_owned());
    load.commit().await?;
    let Some(rng) = rng else {
        bail!("the citizen generator did not hand its state back");
    };
    Ok((ids, rng))
}

async fn seed(
    store: &Store,
    allocator: &Allocator,
    args: &SeedArgs,
    ctx: &Ctx,
) -> anyhow::Result<Summary> {
    let today = args.today.unwrap_or_else(today_vn);
    let now = match args.today {
        Some(d) => d
            .at(23, 59, 0, 0)
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
            .map(|z| z.timestamp().as_second())?,
        None => now_secs(),
    };
    let rng = StdRng::seed_from_u64(args.seed);
    let people = CitizenGen::new(today, Vec::new());
    let mut name_rng = StdRng::seed_from_u64(args.seed ^ 0x5eed);
    let mut names = |_: usize| {
        let sex = if rand::Rng::random_bool(&mut name_rng, 0.5) {
            cancuoc_core::person::Sex::Male
        } else {
            cancuoc_core::person::Sex::Female
        };
        people.name(&mut name_rng, sex, 1985)
    };
    let (actors, reception, residence, created) =
        office_setup(store, &mut names, today, ctx).await?;
    let people = Arc::new(CitizenGen::new(today, residence));

    let pb = bar(args.citizens as u64, pick(ctx.lang, "công dân", "citizens"));
    let started = Instant::now();
    let (ids, mut rng) = if args.citizens == 0 {
        // Nothing to load: no load is opened (it would take the write lock
        // and rebuild the name index for nothing).
        (Vec::new(), rng)
    } else {
        load_citizens(store, allocator, &people, rng, args.citizens, &pb, ctx).await?
    };
    pb.finish_and_clear();
    let citizen_seconds = started.elapsed().as_secs_f64();

    // Dossiers.
    let started = Instant::now();
    let pb = bar(args.dossiers as u64, pick(ctx.lang, "hồ sơ", "dossiers"));
    let mut codes_out = match &args.codes_out {
        None => None,
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
    };
    let cal = WorkingCalendar::official();
    let mut dgen = DossierGen::new(cal, actors, reception, now)?;
    let from = today
        .checked_sub(jiff::Span::new().days(365))
        .unwrap_or(today);
    let until = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(today);
    let mut made = 0usize;
    while made < args.dossiers {
        let n = DOSSIER_CHUNK.min(args.dossiers - made);
        let mut chunk = Vec::with_capacity(n);
        let mut misses = 0;
        while chunk.len() < n {
            let citizen = ids[rand::Rng::random_range(&mut rng, 0..ids.len())];
            let day = dgen.working_day_between(&mut rng, from, until);
            match dgen.random(&mut rng, citizen, day) {
                Some(d) => chunk.push(d),
                None => {
                    misses += 1;
                    if misses > 100 * n + 1000 {
                        bail!("could not draw dossiers (rules or calendar out of range)");
                    }
                }
            }
        }
        store.bulk_insert_dossiers(&chunk, None, now_secs()).await?;
        if let Some(w) = codes_out.as_mut() {
            for d in &chunk {
                let state = d.events.last().map_or("", |e| e.to.code());
                writeln!(w, "{}\t{state}\t{}", d.code, d.events.len())?;
            }
        }
        made += n;
        pb.set_position(made as u64);
    }
    if let Some(mut w) = codes_out {
        w.flush()?;
    }
    pb.finish_and_clear();
    let dossier_seconds = started.elapsed().as_secs_f64();
    let rate = |n: usize, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
    Ok(Summary {
        citizens: args.citizens,
        dossiers: args.dossiers,
        citizen_seconds,
        citizens_per_second: rate(args.citizens, citizen_seconds),
        dossier_seconds,
        dossiers_per_second: rate(args.dossiers, dossier_seconds),
        db_bytes: None,
        bytes_per_citizen: None,
        created_offices: created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn drawn_chunks_number_each_prefix_from_zero() {
        let today = Date::new(2026, 11, 21).expect("date");
        let people = CitizenGen::new(today, Vec::new());
        let (_, drawn) = draw_citizens(&people, StdRng::seed_from_u64(3), 2_000);
        let d = drawn.expect("drawn");
        assert_eq!(d.chunk.len(), 2_000);
        let total: u32 = d.wants.iter().map(|w| w.1).sum();
        assert_eq!(total, 2_000);
        for (prefix, n) in &d.wants {
            let mut ks: Vec<u32> = d
                .slots
                .iter()
                .filter(|s| s.0 == *prefix)
                .map(|s| s.1)
                .collect();
            ks.sort_unstable();
            assert_eq!(ks, (0..*n).collect::<Vec<_>>(), "{prefix}");
        }
    }
}
