-- The receivers failing since their last success, and since when their fallback route is taken:
-- read at start, so that a restart neither hides an outage from the console nor waits a
-- fallback's `after` again before paging around a receiver that is still down.
CREATE TABLE receiver_health (
  receiver        VARCHAR(300)  NOT NULL PRIMARY KEY,
  failing_since   TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error      VARCHAR(4000),
  fallback_since  TIMESTAMP WITH TIME ZONE
);
