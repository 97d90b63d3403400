//! Vietnamese lunar calendar (âm lịch), public holidays and working days.
