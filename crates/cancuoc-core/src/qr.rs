//! The card's QR payload (mã QR trên thẻ).
