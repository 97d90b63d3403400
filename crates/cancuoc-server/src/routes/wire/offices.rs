//! Offices on the wire (đơn vị): an office of the tree with its level,
//! parent, contact and opening hours.

use cancuoc_service::model::{Office, OpeningHours, TimeRange};
use serde::Serialize;
use utoipa::ToSchema;

use super::codes::LevelCode;

/// Giờ làm việc: when an office receives citizens, each day a list of
/// `HH:MM-HH:MM` spans (empty: closed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct OpeningHoursView {
    /// Thứ Hai – Thứ Sáu.
    #[schema(example = json!(["07:30-11:30", "13:30-17:00"]))]
    pub weekdays: Vec<String>,
    /// Thứ Bảy.
    #[schema(example = json!(["07:30-11:30"]))]
    pub saturday: Vec<String>,
    /// Chủ nhật.
    #[schema(example = json!([]))]
    pub sunday: Vec<String>,
}

/// An office (đơn vị Công an) of the tree, from the ministry down to
/// communes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct OfficeView {
    /// Số hiệu đơn vị, 0–9999: the office number in dossier codes.
    pub code: u16,
    /// Tên đơn vị.
    pub name: String,
    /// Cấp đơn vị.
    pub level: LevelCode,
    /// Đơn vị cấp trên; `null` for the ministry.
    #[schema(required = true)]
    pub parent: Option<u16>,
    /// Địa chỉ.
    pub address: String,
    /// Đường dây nóng.
    pub hotline: String,
    /// Giờ làm việc.
    pub opening_hours: OpeningHoursView,
    /// Năng lực tiếp nhận: dossiers the office can receive a day.
    pub daily_capacity: u32,
    /// Hoạt động từ ngày: the first day the office exists (ISO date);
    /// `null` for an office older than the records.
    #[schema(required = true, value_type = Option<String>, format = Date, example = "2025-07-01")]
    pub valid_from: Option<String>,
    /// Hoạt động đến ngày: its last day (ISO date, included); `null` while
    /// it exists. District police offices end on 2025-02-28.
    #[schema(required = true, value_type = Option<String>, format = Date, example = json!(null))]
    pub valid_until: Option<String>,
}

fn spans(list: &[TimeRange]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

impl From<&OpeningHours> for OpeningHoursView {
    fn from(h: &OpeningHours) -> Self {
        Self {
            weekdays: spans(&h.weekdays),
            saturday: spans(&h.saturday),
            sunday: spans(&h.sunday),
        }
    }
}

impl From<&Office> for OfficeView {
    fn from(o: &Office) -> Self {
        Self {
            code: o.code,
            name: o.name.clone(),
            level: o.level.into(),
            parent: o.parent,
            address: o.address.clone(),
            hotline: o.hotline.clone(),
            opening_hours: (&o.opening_hours).into(),
            daily_capacity: o.daily_capacity,
            valid_from: o.in_force.first_day().map(|d| d.to_string()),
            valid_until: o.in_force.last_day().map(|d| d.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_service::model::{OfficeLevel, Period};
    use serde_json::json;

    #[test]
    fn an_office_writes_the_fields_the_api_always_had() {
        let o = Office {
            code: 790,
            name: "Công an Huyện Đông Thử".into(),
            level: OfficeLevel::District,
            parent: Some(79),
            address: "Số 790".into(),
            hotline: "09000790".into(),
            opening_hours: OpeningHours::usual_with_saturday_morning(),
            daily_capacity: 200,
            in_force: Period::until(jiff::civil::date(2025, 2, 28)),
        };
        assert_eq!(
            serde_json::to_value(OfficeView::from(&o)).expect("json"),
            json!({
                "code": 790,
                "name": "Công an Huyện Đông Thử",
                "level": "district",
                "parent": 79,
                "address": "Số 790",
                "hotline": "09000790",
                "opening_hours": {
                    "weekdays": ["07:30-11:30", "13:30-17:00"],
                    "saturday": ["07:30-11:30"],
                    "sunday": []
                },
                "daily_capacity": 200,
                "valid_from": null,
                "valid_until": "2025-02-28"
            })
        );
    }
}
