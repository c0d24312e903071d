-- The fixed-window table that 007's sliding logs replaced; nothing reads or writes it any more.
DROP TABLE IF EXISTS rate_limits;
