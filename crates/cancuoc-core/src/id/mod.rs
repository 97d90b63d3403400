//! Personal identification numbers (số định danh cá nhân) and old CMND numbers.
