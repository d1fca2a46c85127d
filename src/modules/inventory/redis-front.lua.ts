// The Redis front's Lua scripts. Each runs atomically in Redis, so no two buyers ever see the
// same unit. Per (location, SKU) there are two keys:
//   stock  a hash: `avail` = units open for admission, `hw` = the newest stock hold id already
//          accounted for, and one `@<attempt>` field per admission whose PostgreSQL outcome is
//          not known yet, valued `<qty>|<deadline ms>|<buyer>:<idempotency key>`;
//   seen   a sorted set of `<buyer>:<idempotency key>` of orders placed (or being placed) on
//          this SKU, scored by time, plus the member `~` at +inf that marks it as complete.
// Keys come in pairs (stock, seen) per SKU: KEYS[2i-1], KEYS[2i].

/**
 * A batch of admissions, one after the other, each all lines or none. KEYS: the (stock, seen)
 * pairs of every SKU in the batch. ARGV[1]: now; then one string per order:
 * `<attempt>|<deadline>|<pair>:<qty>,<pair>:<qty>…|<who>`. Answers one string per order:
 * 'ok' | 'missing <line>' | 'seen <line>' | 'sold_out <line> <avail>' (lines counted from 1).
 */
export const RESERVE = `
local now = ARGV[1]
local out = {}
for r = 2, #ARGV do
  local attempt, deadline, lines, who = string.match(ARGV[r], '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
  local ps, qs = {}, {}
  for p, q in string.gmatch(lines, '(%d+):(%d+)') do
    ps[#ps + 1] = 2 * tonumber(p) - 1
    qs[#qs + 1] = tonumber(q)
  end
  local answer = nil
  for i, p in ipairs(ps) do
    if redis.call('EXISTS', KEYS[p]) == 0 or redis.call('EXISTS', KEYS[p + 1]) == 0 then answer = 'missing ' .. i; break end
  end
  if not answer then
    for i, p in ipairs(ps) do
      if redis.call('ZSCORE', KEYS[p + 1], who) then answer = 'seen ' .. i; break end
    end
  end
  if not answer then
    for i, p in ipairs(ps) do
      local avail = tonumber(redis.call('HGET', KEYS[p], 'avail') or '0')
      if avail < qs[i] then answer = 'sold_out ' .. i .. ' ' .. avail; break end
    end
  end
  if not answer then
    for i, p in ipairs(ps) do
      redis.call('HINCRBY', KEYS[p], 'avail', -qs[i])
      redis.call('HSET', KEYS[p], '@' .. attempt, qs[i] .. '|' .. deadline .. '|' .. who)
      redis.call('ZADD', KEYS[p + 1], now, who)
    end
    answer = 'ok'
  end
  out[#out + 1] = answer
end
return out
`;

/**
 * ARGV: attempt, who, giveBack (1|0), now. The admission is settled once: a second call, or a
 * call after the keys were reloaded (the attempt field is gone), gives nothing back.
 */
export const SETTLE = `
local field = '@' .. ARGV[1]
for i = 1, #KEYS / 2 do
  local entry = redis.call('HGET', KEYS[2*i-1], field)
  if entry then
    redis.call('HDEL', KEYS[2*i-1], field)
    if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2*i-1], 'avail', tonumber(string.match(entry, '^(%d+)'))) end
  end
  if redis.call('EXISTS', KEYS[2*i]) == 1 then redis.call('ZADD', KEYS[2*i], ARGV[4], ARGV[2]) end
end
return 1
`;

/** KEYS: stock, seen. ARGV: avail, hw, then (who, at) pairs. Writes only if either key is missing. */
export const LOAD = `
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'avail', ARGV[1], 'hw', ARGV[2])
redis.call('ZADD', KEYS[2], '+inf', '~')
for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[2], ARGV[i+1], ARGV[i]) end
return 1
`;

/**
 * KEYS: stock, seen. ARGV: available in PostgreSQL, hw, now, trim-before, then (who, at) pairs of
 * orders that took a hold on this SKU after the stored hw. Their admissions are settled (the
 * order is in `available` already), admissions past their deadline are dropped (their process
 * died), and avail becomes available − what the remaining admissions took.
 * Answers {avail before, avail after}, or nil when the keys are gone (they reload lazily).
 */
export const RECONCILE = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return false end
local placed = {}
for i = 5, #ARGV, 2 do
  placed[ARGV[i]] = true
  redis.call('ZADD', KEYS[2], ARGV[i+1], ARGV[i])
end
local now = tonumber(ARGV[3])
local fields = redis.call('HGETALL', KEYS[1])
local pending = 0
for j = 1, #fields, 2 do
  if string.sub(fields[j], 1, 1) == '@' then
    local qty, deadline, who = string.match(fields[j+1], '^(%d+)|(%d+)|(.*)$')
    if placed[who] or tonumber(deadline) < now then
      redis.call('HDEL', KEYS[1], fields[j])
    else
      pending = pending + tonumber(qty)
    end
  end
end
local before = tonumber(redis.call('HGET', KEYS[1], 'avail') or '0')
local after = tonumber(ARGV[1]) - pending
redis.call('HSET', KEYS[1], 'avail', after)
if tonumber(ARGV[2]) > tonumber(redis.call('HGET', KEYS[1], 'hw') or '0') then redis.call('HSET', KEYS[1], 'hw', ARGV[2]) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
return {before, after}
`;
