-- The sign-in brake's counters for one (lowercased) user name.
-- Grain: at most one row (a name). Parameters: $user_name.
select failures, last_at, locked_until
from login_failures
where name = $user_name
