//! Machine-readable zone (ICAO 9303 TD1/TD2/TD3) and the Vietnamese TD1 profile.
