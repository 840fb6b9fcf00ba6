-- The feature-store (Athena) query that built the training and test sets of
-- the Boston-housing model, from the offline stores of both feature groups.
-- `lineage generate --query-file` records it, complete, on the training
-- channels its results went to (--query-output).
SELECT h.record_id,
       h.crim, h.zn, h.indus, h.chas, h.nox, h.rm, h.age,
       h.dis, h.rad, h.tax, h.ptratio, h.b, h.lstat,
       v.price_per_sqft, v.neighbourhood_score,
       h.medv AS target,
       h.split
FROM "boston-housing-1629731269" AS h
JOIN "boston-housing-v5-1629731272" AS v
  ON h.record_id = v.record_id
WHERE h.is_deleted = false
  AND v.is_deleted = false
ORDER BY h.record_id
