-- Owner emails now go only to confirmed addresses (lib/billing/owners.ts), and new
-- accounts confirm theirs by an emailed link. Accounts made before that had no way to
-- confirm, and their owners have been getting the clinic's emails: they keep getting them.
UPDATE users SET email_verified = true WHERE NOT email_verified;
