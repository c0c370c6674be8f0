-- Credit codes were held by one grain per code ("credit-code" state). The province's index now keeps them in memory
-- and counts them from the counties' registers when it wakes, so those records are read by nothing.
DELETE FROM orleans_grain_state WHERE state_name = 'credit-code';
