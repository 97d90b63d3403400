//! What the reception desk's registration form (đăng ký công dân) starts
//! with: the usual defaults, or an appointment's online declaration over
//! them — a field the citizen left empty keeps its default.

use super::forms::show_dob;
use super::reception::CitizenForm;
use cancuoc_service::ReceptionPrefill;

impl CitizenForm {
    /// An empty form with the usual defaults (quốc tịch Việt Nam, dân tộc
    /// Kinh, tôn giáo Không).
    pub(crate) fn with_defaults() -> Self {
        Self {
            quoc_tich: "Việt Nam".into(),
            dan_toc: "Kinh".into(),
            ton_giao: "Không".into(),
            ..Self::default()
        }
    }

    /// The defaults, overridden by every field the appointment's
    /// declaration (or, without one, the booking itself) gives: a field
    /// the citizen left empty keeps its default instead of blanking it.
    pub(crate) fn prefilled(p: &ReceptionPrefill) -> Self {
        let mut f = Self::with_defaults();
        let set = |field: &mut String, value: &str| {
            if !value.trim().is_empty() {
                value.trim().clone_into(field);
            }
        };
        let b = &p.booking;
        match &p.declaration {
            Some(d) => {
                set(&mut f.ho_ten, &d.full_name);
                // Declared as a possibly partial date; the desk shows
                // dd/mm/yyyy (or mm/yyyy, yyyy).
                set(&mut f.ngay_sinh, &show_dob(&d.date_of_birth));
                set(&mut f.gioi_tinh, d.sex.code());
                set(
                    &mut f.so_dinh_danh,
                    d.personal_id.as_deref().unwrap_or_default(),
                );
                set(&mut f.noi_khai_sinh, &d.birth_registration);
                set(&mut f.que_quan, &d.place_of_origin);
                set(&mut f.thuong_tru, &d.permanent_residence);
                set(&mut f.tam_tru, &d.current_residence);
                set(&mut f.quoc_tich, &d.nationality);
                set(&mut f.dan_toc, &d.ethnicity);
                set(&mut f.ton_giao, &d.religion);
                set(&mut f.dien_thoai, d.phone.as_str());
            }
            None => {
                set(&mut f.ho_ten, &b.full_name);
                set(
                    &mut f.so_dinh_danh,
                    b.personal_id.as_deref().unwrap_or_default(),
                );
                set(&mut f.dien_thoai, &b.phone);
            }
        }
        set(&mut f.booking, &b.code);
        f
    }
}
