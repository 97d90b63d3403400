//! The overdue dashboard (bảng theo dõi hồ sơ quá hạn, `/can-bo/qua-han`):
//! for the offices the officer oversees, open dossiers on time, at risk and
//! late today, those handed over in the last 30 days on time or late, a
//! stacked bar chart per office drawn on the server as inline SVG (with the
//! same numbers in a table), and the late dossiers with their days late;
//! below them the citizens' channels (kênh hỏi đáp) of the last 7 days:
//! per channel the calls and messages in, the lookups answered
//! automatically (found or not), the conversations handed to an officer,
//! the officers' replies and the messages sent, failing or given up.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State as AxState;
use axum::routing::get;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_service::model::OfficeScope;

use super::chart::{Bar, Series, StackedBars};
use super::chats::channel_label;
use super::forms::{show_date, show_instant};
use super::session::Session;
use crate::Web;
use crate::error::PageError;
use crate::ui::Ui;
use cancuoc_service::model::ChannelCountRow;
use cancuoc_service::{OfficeLine, OverdueDashboard};

/// Offices drawn in the chart (the most late first).
const CHART_BARS: usize = 15;
/// Offices listed in the table.
const TABLE_LINES: usize = 60;
/// Days the channels' table counts back.
const CHANNEL_DAYS: i64 = 7;

/// One channel's line of the channels' table.
pub(crate) struct ChannelLine {
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub row: ChannelCountRow,
}

impl ChannelLine {
    /// Lookups that found nothing.
    pub(crate) fn not_found(&self) -> u64 {
        self.row.lookups.saturating_sub(self.row.lookups_found)
    }
}

/// One late dossier on the page.
pub(crate) struct LateRow {
    pub code: DossierCode,
    pub office: String,
    pub state_vi: &'static str,
    pub state_en: &'static str,
    pub received: String,
    pub promised: String,
    pub working_days_late: u32,
    pub calendar_days_late: u32,
}

/// The dashboard page.
#[derive(Template, WebTemplate)]
#[template(path = "console/dashboard.html")]
pub(crate) struct DashboardPage {
    pub ui: Ui,
    pub session: Session,
    pub scope_vi: String,
    pub scope_en: String,
    pub today: String,
    pub since: String,
    pub window: u32,
    pub lines: Vec<OfficeLine>,
    pub more_lines: usize,
    pub totals: OfficeLine,
    pub chart: String,
    pub late: Vec<LateRow>,
    /// The list shows only the oldest of the late dossiers.
    pub late_partial: bool,
    /// The channels' counts since [`DashboardPage::channels_since`].
    pub channels: Vec<ChannelLine>,
    /// Their sum.
    pub channels_total: ChannelLine,
    /// dd/mm/yyyy HH:MM, seven days ago.
    pub channels_since: String,
}

/// The chart of open dossiers per office.
fn chart(ui: &Ui, d: &OverdueDashboard) -> String {
    let bars: Vec<Bar> = d
        .lines
        .iter()
        .filter(|l| l.open() > 0)
        .take(CHART_BARS)
        .map(|l| Bar {
            label: l.name.clone(),
            values: vec![
                u64::try_from(l.on_time).unwrap_or(0),
                u64::try_from(l.at_risk).unwrap_or(0),
                u64::try_from(l.late).unwrap_or(0),
            ],
        })
        .collect();
    let t = &d.totals;
    StackedBars {
        id: "bieu-do-qua-han".into(),
        title: ui
            .t(
                "Hồ sơ đang xử lý theo đơn vị: đúng hạn, sắp đến hạn, quá hạn",
                "Open dossiers by office: on time, at risk, late",
            )
            .to_owned(),
        desc: if ui.is_en() {
            format!(
                "{} offices shown, most late first. In all: {} on time, {} at risk, {} late. The table below gives the same numbers.",
                bars.len(),
                t.on_time,
                t.at_risk,
                t.late
            )
        } else {
            format!(
                "{} đơn vị, nhiều hồ sơ quá hạn nhất trước. Tổng cộng: {} đúng hạn, {} sắp đến hạn, {} quá hạn. Bảng bên dưới có cùng số liệu.",
                bars.len(),
                t.on_time,
                t.at_risk,
                t.late
            )
        },
        series: vec![
            Series {
                label: ui.t("Đúng hạn", "On time").to_owned(),
                colour: "#1b6e20",
            },
            Series {
                label: ui.t("Sắp đến hạn", "At risk").to_owned(),
                colour: "#8a5300",
            },
            Series {
                label: ui.t("Quá hạn", "Late").to_owned(),
                colour: "#b00020",
            },
        ],
        bars,
        empty: ui
            .t("Không có hồ sơ đang xử lý.", "No open dossier.")
            .to_owned(),
    }
    .render()
}

/// `GET /can-bo/qua-han`.
async fn dashboard(
    AxState(app): AxState<Web>,
    ui: Ui,
    session: Session,
) -> Result<DashboardPage, PageError> {
    let d = app
        .service()
        .overdue_dashboard(&session.officer)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let tree = app.service().offices();
    let name = |c: u16| tree.name_of(c);
    let (scope_vi, scope_en) = match d.scope {
        OfficeScope::All => (
            "mọi đơn vị trên toàn quốc".to_owned(),
            "every office nationwide".to_owned(),
        ),
        OfficeScope::Office(c) => (name(c), name(c)),
        OfficeScope::Subtree(c) => (
            format!("{} và các đơn vị trực thuộc", name(c)),
            format!("{} and the offices below it", name(c)),
        ),
    };
    let late = d
        .late
        .iter()
        .map(|l| {
            let (working_days_late, calendar_days_late) = l.days_late();
            LateRow {
                code: l.item.code,
                office: l.office_name.clone(),
                state_vi: l.item.state.label_vi(),
                state_en: l.item.state.label_en(),
                received: show_date(l.item.received_on),
                promised: show_date(l.item.promised_date),
                working_days_late,
                calendar_days_late,
            }
        })
        .collect();
    let late_partial = i64::try_from(d.late.len()).unwrap_or(i64::MAX) < d.totals.late;
    let chart = chart(&ui, &d);
    let since = app.service().now().as_second() - CHANNEL_DAYS * 86_400;
    let counts = app
        .service()
        .channel_counts(since)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let (channels, channels_total) = channel_lines(counts.rows);
    let more_lines = d.lines.len().saturating_sub(TABLE_LINES);
    let mut lines = d.lines;
    lines.truncate(TABLE_LINES);
    Ok(DashboardPage {
        scope_vi,
        scope_en,
        today: show_date(d.today),
        since: show_date(d.finished_since),
        window: d.at_risk_working_days,
        lines,
        more_lines,
        totals: d.totals,
        chart,
        late,
        late_partial,
        channels,
        channels_total,
        channels_since: show_instant(since),
        ui,
        session,
    })
}

/// The channels' lines (by the order of [`Channel::ALL`], then any other
/// code) and their sum.
///
/// [`Channel::ALL`]: cancuoc_core::channel::Channel::ALL
fn channel_lines(mut rows: Vec<ChannelCountRow>) -> (Vec<ChannelLine>, ChannelLine) {
    use cancuoc_core::channel::Channel;
    let rank = |code: &str| {
        Channel::ALL
            .iter()
            .position(|c| c.code() == code)
            .unwrap_or(Channel::ALL.len())
    };
    rows.sort_by(|a, b| {
        rank(&a.channel)
            .cmp(&rank(&b.channel))
            .then(a.channel.cmp(&b.channel))
    });
    let mut total = ChannelCountRow::default();
    for r in &rows {
        total.inbound += r.inbound;
        total.lookups += r.lookups;
        total.lookups_found += r.lookups_found;
        total.human_conversations += r.human_conversations;
        total.officer_replies += r.officer_replies;
        total.sent += r.sent;
        total.failed_pending += r.failed_pending;
        total.dead += r.dead;
    }
    let lines = rows
        .into_iter()
        .map(|row| {
            let (name_vi, name_en) = channel_label(&row.channel);
            ChannelLine {
                name_vi,
                name_en,
                row,
            }
        })
        .collect();
    (
        lines,
        ChannelLine {
            name_vi: "Tổng cộng",
            name_en: "Total",
            row: total,
        },
    )
}

/// The dashboard route.
pub(crate) fn router() -> Router<Web> {
    Router::new().route("/can-bo/qua-han", get(dashboard))
}
