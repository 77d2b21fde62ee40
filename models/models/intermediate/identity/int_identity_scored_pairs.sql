select cast(null as varchar) as record_key_l, cast(null as varchar) as record_key_r, cast(null as double) as match_probability, cast(null as double) as match_weight where false
