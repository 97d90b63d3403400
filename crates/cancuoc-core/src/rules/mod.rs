//! Legal rules of issuance: regimes, eligibility, expiry, fees, deadlines, fines.
