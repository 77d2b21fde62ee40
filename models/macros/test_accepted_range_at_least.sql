{#- Generic test: every value of the column is at least `minimum`. -#}
{% test accepted_range_at_least(model, column_name, minimum) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ minimum }}
{% endtest %}
