-- (same text in migrations/sqlite and migrations/postgres)
-- A challenge answered right on a form whose effect records the challenge
-- (a booking, a request to confirm an old CMND number) keeps what that
-- form claimed it for (`claim`: the form's kind and a digest of its
-- fields), set by the same single UPDATE that spends it. The same form
-- sent again after a crash or a cut-off request (spent, nothing stored
-- yet) may then finish its effect, and no other form can use the
-- challenge; the claim is cleared once the form is refused for good.
ALTER TABLE captcha_challenges ADD COLUMN claim TEXT;
