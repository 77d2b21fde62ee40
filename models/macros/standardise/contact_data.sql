{#-
  Standardisation of contact data, applied in staging so every later model compares
  like with like. Each macro takes a SQL expression and returns one; all return NULL
  for blank input, so "unknown" never matches "unknown".
-#}

{#- E-mail: trimmed and lower-cased; NULL unless it has one @ with text on both sides. -#}
{% macro standardise_email(column) -%}
case
    when regexp_full_match(lower(trim({{ column }})), '[^@\s]+@[^@\s]+\.[^@\s]+')
        then lower(trim({{ column }}))
end
{%- endmacro %}

{#-
  Phone to E.164, Finnish numbers first: "040 123 4567", "040-1234567" and
  "+358 40 1234567" all become "+358401234567". A leading 00 is an international
  prefix; a leading single 0 is a Finnish trunk prefix. Anything that does not end up
  as + and 7 to 15 digits is NULL rather than a wrong number.
-#}
{% macro standardise_phone(column) -%}
{#- "(0)" is the trunk prefix written inside an international number: +358 (0)40 ... -#}
{%- set digits -%}regexp_replace(replace(trim({{ column }}), '(0)', ''), '[\s\-\(\)\./]', '', 'g'){%- endset -%}
{%- set candidate -%}
case
    when {{ digits }} like '+%' then {{ digits }}
    when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
    when {{ digits }} like '358%' then '+' || {{ digits }}
    when {{ digits }} like '0%' then '+358' || substr({{ digits }}, 2)
end
{%- endset -%}
case when regexp_full_match({{ candidate }}, '\+[1-9][0-9]{6,14}') then {{ candidate }} end
{%- endmacro %}

{#-
  A person's name for comparison: lower case, single spaces, hyphens kept, Finnish
  letters (ä, ö, å) kept. Only for matching; displayed names keep their source form.
-#}
{% macro standardise_name(column) -%}
nullif(trim(regexp_replace(lower({{ column }}), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#-
  The same name with ä, ö, å and é folded to a, o, a, e: systems that cannot store
  them ("Makinen" for "Mäkinen") still compare equal on this form.
-#}
{% macro fold_finnish_letters(expression) -%}
translate({{ expression }}, 'äöåéü', 'aoaeu')
{%- endmacro %}

{#-
  A company name for comparison: standardised like a person's name, then without its
  legal form (Oy, Oyj, Ab, Ky, Tmi, Ltd, Ay, Osk, Ry), wherever it stands, so "Aaltomökit
  Oy" and "Oy Aaltomökit" and "aaltomökit" compare equal.
-#}
{% macro standardise_company_name(column) -%}
nullif(trim(regexp_replace(
    regexp_replace({{ standardise_name(column) }}, '\b({{ var("legal_form_suffixes") | join("|") }})\b\.?', ' ', 'g'),
    '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- Finnish postal code: five digits, leading zeros kept; anything else NULL. -#}
{% macro standardise_postal_code(column) -%}
case
    when regexp_full_match(lpad(regexp_replace(trim({{ column }}), '\s', '', 'g'), 5, '0'), '[0-9]{5}')
        then lpad(regexp_replace(trim({{ column }}), '\s', '', 'g'), 5, '0')
end
{%- endmacro %}

{#- Social media handle: without the leading @, lower-cased ("@VihainenMatti" -> "vihainenmatti"). -#}
{% macro standardise_handle(column) -%}
nullif(lower(ltrim(trim({{ column }}), '@')), '')
{%- endmacro %}
