-- Reserved for "Membership and payments" (orders). Kept as a no-op so migration numbers stay in order.
SELECT 1;
