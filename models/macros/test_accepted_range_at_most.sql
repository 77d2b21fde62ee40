{#- Generic test: every value of the column is at most `maximum`. -#}
{% test accepted_range_at_most(model, column_name, maximum) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} > {{ maximum }}
{% endtest %}
