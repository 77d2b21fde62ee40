{#-
  Hours between two timestamps that fall in the business calendar of
  var('service').business_calendar: on its weekdays (ISO, 1 = Monday), between its opening
  and closing hour, not on its holidays. Each day from the start's to the end's is cut to
  its business window and the overlaps are summed; null when either end is null.
  Timestamps are local time (the helpdesk exports local time without a zone).
-#}
{% macro business_hours_between(start_at, end_at) -%}
{%- set calendar = var('service')['business_calendar'] -%}
{%- set holidays = calendar.get('holidays') or [] -%}
case when {{ start_at }} is not null and {{ end_at }} is not null and {{ end_at }} > {{ start_at }} then
    coalesce(list_sum([
        greatest(0, epoch(
            least({{ end_at }}, business_day + interval {{ calendar['closes_at_hour'] }} hour)
            - greatest({{ start_at }}, business_day + interval {{ calendar['opens_at_hour'] }} hour)
        ))
        for business_day in generate_series(cast(date_trunc('day', {{ start_at }}) as timestamp), cast(date_trunc('day', {{ end_at }}) as timestamp), interval 1 day)
        if isodow(business_day) in ({{ calendar['weekdays'] | join(', ') }})
        {%- if holidays %}
           and strftime(business_day, '%Y-%m-%d') not in ({% for day in holidays %}'{{ day }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- endif %}
    ]), 0) / 3600.0
when {{ start_at }} is not null and {{ end_at }} is not null then 0.0
end
{%- endmacro %}
