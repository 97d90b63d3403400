//! `/co-quan`: where to apply (cơ quan tiếp nhận hồ sơ) — every office that
//! receives the public, grouped by province, with address, opening hours
//! in words, and hotline.
//!
//! Who is listed, from the office model: provincial police (`province`)
//! and district police (`district`) offices receive applications (DESIGN
//! §2.5). The ministry and the NPD centre approve and print but hold no
//! reception desk, and commune police verify population data for the
//! offices above them; none of them is listed. Daily capacity is internal
//! and never shown.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use cancuoc_service::model::{Office, OfficeLevel, OpeningHours, TimeRange};

use super::{Msg, tel};
use crate::Web;
use crate::ui::Ui;
use cancuoc_service::OfficeTree;

/// One office as listed.
#[derive(Debug)]
pub(crate) struct Listed {
    name: String,
    district: bool,
    address: String,
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

/// The opening hours in words: weekdays, Saturday (morning only when it
/// closes by noon), Sunday.
pub(crate) fn hours_in_words(h: &OpeningHours) -> Vec<Msg> {
    let day = |vi: &str, en: &str, r: &[TimeRange]| -> Msg {
        if r.is_empty() {
            Msg::new(format!("{vi}: nghỉ"), format!("{en}: closed"))
        } else if vi == "Thứ Bảy" && r.iter().all(|t| t.closes() <= 12 * 60) {
            Msg::new(
                format!("{vi}: buổi sáng, {}", spans(r)),
                format!("{en}: morning only, {}", spans(r)),
            )
        } else {
            Msg::new(format!("{vi}: {}", spans(r)), format!("{en}: {}", spans(r)))
        }
    };
    vec![
        day("Thứ Hai – Thứ Sáu", "Monday – Friday", &h.weekdays),
        day("Thứ Bảy", "Saturday", &h.saturday),
        day("Chủ nhật", "Sunday", &h.sunday),
    ]
}

fn listed(o: &Office) -> Listed {
    Listed {
        name: o.name.clone(),
        district: o.level == OfficeLevel::District,
        address: o.address.clone(),
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

/// The reception offices grouped by province (by office number), each
/// province's own office first, then its districts by number; districts
/// under no province come last in a group of their own.
pub(crate) fn groups(tree: &OfficeTree) -> Vec<Group> {
    let mut out: Vec<(u16, Group)> = Vec::new();
    let mut orphans = Vec::new();
    let mut all: Vec<&Office> = tree.all().collect();
    all.sort_by_key(|o| (o.level != OfficeLevel::Province, o.code));
    for o in all {
        match o.level {
            OfficeLevel::Province => out.push((
                o.code,
                Group {
                    // The province as citizens name it ("Hà Nội"), not
                    // its police office's full name, which is listed below.
                    name: crate::booking::province::province_label(&o.name),
                    anchor: format!("tinh-{}", o.code),
                    offices: vec![listed(o)],
                },
            )),
            OfficeLevel::District => match province_of(tree, o) {
                Some(p) => {
                    if let Some((_, g)) = out.iter_mut().find(|(c, _)| *c == p.code) {
                        g.offices.push(listed(o));
                    }
                }
                None => orphans.push(listed(o)),
            },
            OfficeLevel::Ministry | OfficeLevel::NpdCentre | OfficeLevel::Commune => {}
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

/// `GET /co-quan`.
pub(crate) async fn page(State(app): State<Web>, ui: Ui) -> OfficesPage {
    OfficesPage {
        ui,
        groups: groups(&app.service().offices()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_words() {
        let h = OpeningHours::usual_with_saturday_morning();
        let w = hours_in_words(&h);
        assert_eq!(w[0].vi, "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00");
        assert_eq!(w[1].en, "Saturday: morning only, 07:30–11:30");
        assert_eq!(w[2].vi, "Chủ nhật: nghỉ");
        let all_day = OpeningHours {
            weekdays: h.weekdays.clone(),
            saturday: h.weekdays.clone(),
            sunday: Vec::new(),
        };
        assert_eq!(
            hours_in_words(&all_day)[1].en,
            "Saturday: 07:30–11:30, 13:30–17:00"
        );
    }
}
