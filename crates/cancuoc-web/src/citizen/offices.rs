//! `/co-quan`: where to apply (cơ quan tiếp nhận hồ sơ) — every office that
//! receives the public on the date shown (today, or `?ngay=YYYY-MM-DD`),
//! grouped by province, with the structure in force that day, address and
//! a map link, hotline, and opening hours for each day of the week.
//!
//! Who is listed comes from the office model (`Office::receives_public_on`):
//! an office in force that day whose level receives under the structure
//! then — provincial police always, district police until 28/02/2025,
//! commune police from 01/03/2025 (`cancuoc_core::office::structure`, with
//! its sources). The ministry and the NPD centre approve and print but hold
//! no reception desk. Ended offices are not listed, but stay in the tree:
//! a dossier opened at one keeps naming it. Daily capacity is internal and
//! never shown. The map link is an address search on OpenStreetMap; no map
//! is embedded (no third-party content on the page).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use cancuoc_service::model::{Office, OfficeLevel, OpeningHours, Structure, TimeRange};
use jiff::civil::{Date, Weekday};

use super::{Msg, tel};
use crate::Web;
use crate::ui::Ui;
use cancuoc_service::OfficeTree;

/// Where a map link searches for an address.
const MAP_SEARCH: &str = "https://www.openstreetmap.org/search?query=";

/// One office as listed.
#[derive(Debug)]
pub(crate) struct Listed {
    name: String,
    level: Msg,
    address: String,
    map: String,
    hotline: String,
    hotline_tel: String,
    hours: Vec<Msg>,
}

/// The offices of one province.
#[derive(Debug)]
pub(crate) struct Group {
    name: String,
    anchor: String,
    offices: Vec<Listed>,
}

/// `GET /co-quan`.
#[derive(Template, WebTemplate)]
#[template(path = "citizen/offices.html")]
pub(crate) struct OfficesPage {
    ui: Ui,
    /// The date shown, dd/mm/yyyy.
    day: String,
    /// Whether the date shown is today.
    today: bool,
    /// The structure in force that day, in words.
    structure: Msg,
    /// Its sources.
    basis: Vec<String>,
    /// Provinces listed.
    provinces: usize,
    /// Before 01/03/2025: district police received, commune police did not.
    districts: bool,
    groups: Vec<Group>,
}

fn spans(r: &[TimeRange]) -> String {
    r.iter()
        .map(|t| {
            format!(
                "{:02}:{:02}–{:02}:{:02}",
                t.opens() / 60,
                t.opens() % 60,
                t.closes() / 60,
                t.closes() % 60
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The days of the week, Monday first, with their names.
const WEEK: [(Weekday, &str, &str); 7] = [
    (Weekday::Monday, "Thứ Hai", "Monday"),
    (Weekday::Tuesday, "Thứ Ba", "Tuesday"),
    (Weekday::Wednesday, "Thứ Tư", "Wednesday"),
    (Weekday::Thursday, "Thứ Năm", "Thursday"),
    (Weekday::Friday, "Thứ Sáu", "Friday"),
    (Weekday::Saturday, "Thứ Bảy", "Saturday"),
    (Weekday::Sunday, "Chủ nhật", "Sunday"),
];

/// The opening hours of each day of the week, Monday to Sunday.
pub(crate) fn hours_in_words(h: &OpeningHours) -> Vec<Msg> {
    WEEK.iter()
        .map(|&(day, vi, en)| {
            let r = h.on(day);
            if r.is_empty() {
                Msg::new(format!("{vi}: nghỉ"), format!("{en}: closed"))
            } else {
                Msg::new(format!("{vi}: {}", spans(r)), format!("{en}: {}", spans(r)))
            }
        })
        .collect()
}

/// An address search on the map (no embedded map).
pub(crate) fn map_link(address: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(address.as_bytes()).collect();
    format!("{MAP_SEARCH}{q}")
}

fn level_of(o: &Office) -> Msg {
    match o.level {
        OfficeLevel::Province => Msg::new("Công an cấp tỉnh", "provincial police"),
        OfficeLevel::District => Msg::new("Công an cấp huyện", "district police"),
        OfficeLevel::Commune => Msg::new("Công an cấp xã", "commune police"),
        OfficeLevel::Ministry | OfficeLevel::NpdCentre => Msg::new("", ""),
    }
}

fn listed(o: &Office) -> Listed {
    Listed {
        name: o.name.clone(),
        level: level_of(o),
        address: o.address.clone(),
        map: map_link(&o.address),
        hotline: o.hotline.clone(),
        hotline_tel: tel(&o.hotline),
        hours: hours_in_words(&o.opening_hours),
    }
}

/// The nearest province at or above `o` in the tree.
fn province_of<'t>(tree: &'t OfficeTree, o: &'t Office) -> Option<&'t Office> {
    let mut at = Some(o);
    for _ in 0..8 {
        match at {
            Some(x) if x.level == OfficeLevel::Province => return Some(x),
            Some(x) => at = x.parent.and_then(|p| tree.get(p)),
            None => return None,
        }
    }
    None
}

/// The offices receiving on `day` grouped by province (by office number),
/// each province's own office first, then the others by level and number;
/// offices under no province come last in a group of their own.
pub(crate) fn groups(tree: &OfficeTree, day: Date) -> Vec<Group> {
    let mut out: Vec<(u16, Group)> = Vec::new();
    let mut orphans = Vec::new();
    let mut all: Vec<&Office> = tree.receiving_on(day).collect();
    all.sort_by_key(|o| (o.level != OfficeLevel::Province, o.level, o.code));
    for o in all {
        if o.level == OfficeLevel::Province {
            out.push((
                o.code,
                Group {
                    // The province as citizens name it ("Hà Nội"), not
                    // its police office's full name, which is listed below.
                    name: crate::booking::province::province_label(&o.name),
                    anchor: format!("tinh-{}", o.code),
                    offices: vec![listed(o)],
                },
            ));
            continue;
        }
        let group = province_of(tree, o)
            .and_then(|p| out.iter_mut().find(|(c, _)| *c == p.code))
            .map(|(_, g)| g);
        match group {
            Some(g) => g.offices.push(listed(o)),
            None => orphans.push(listed(o)),
        }
    }
    let mut groups: Vec<Group> = out.into_iter().map(|(_, g)| g).collect();
    if !orphans.is_empty() {
        groups.push(Group {
            name: String::new(),
            anchor: "khac".to_owned(),
            offices: orphans,
        });
    }
    groups
}

/// The date asked for with `ngay=YYYY-MM-DD`, if any and valid.
fn asked_day(raw: Option<&str>) -> Option<Date> {
    form_urlencoded::parse(raw?.as_bytes())
        .find(|(k, _)| k == "ngay")
        .and_then(|(_, v)| v.trim().parse::<Date>().ok())
}

/// `GET /co-quan[?ngay=YYYY-MM-DD]`.
pub(crate) async fn page(State(app): State<Web>, ui: Ui, RawQuery(raw): RawQuery) -> OfficesPage {
    let svc = app.service();
    let today = svc.today();
    let day = asked_day(raw.as_deref()).unwrap_or(today);
    let spec = Structure::on(day).spec();
    let groups = groups(&svc.offices(), day);
    OfficesPage {
        ui,
        day: super::dmy(day),
        today: day == today,
        structure: Msg::new(spec.label_vi, spec.label_en),
        basis: spec.basis.iter().map(ToString::to_string).collect(),
        provinces: groups.iter().filter(|g| !g.name.is_empty()).count(),
        districts: spec.district_police,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_day_by_day() {
        let h = OpeningHours::usual_with_saturday_morning();
        let w = hours_in_words(&h);
        assert_eq!(w.len(), 7);
        assert_eq!(w[0].vi, "Thứ Hai: 07:30–11:30, 13:30–17:00");
        assert_eq!(w[4].en, "Friday: 07:30–11:30, 13:30–17:00");
        assert_eq!(w[5].en, "Saturday: 07:30–11:30");
        assert_eq!(w[6].vi, "Chủ nhật: nghỉ");
    }

    #[test]
    fn the_map_link_searches_the_address() {
        assert_eq!(
            map_link("Số 1 Đường Thử, Hà Nội"),
            "https://www.openstreetmap.org/search?query=S%E1%BB%91+1+%C4%90%C6%B0%E1%BB%9Dng+Th%E1%BB%AD%2C+H%C3%A0+N%E1%BB%99i"
        );
    }

    #[test]
    fn a_date_is_read_from_the_query() {
        assert_eq!(
            asked_day(Some("lang=en&ngay=2024-11-04")),
            Some(jiff::civil::date(2024, 11, 4))
        );
        assert_eq!(asked_day(Some("ngay=04/11/2024")), None);
        assert_eq!(asked_day(None), None);
    }
}
