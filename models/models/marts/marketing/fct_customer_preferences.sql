-- Grain: one resolved customer x survey question: the customer's latest answer to it
-- (campaign answers, seed 000: "what do you want from your holiday?"). The answer is
-- the preference segment; preference_key = question || ': ' || answer names it across
-- questions.
select
    subscribers.customer_id,
    answers.question,
    answers.answer,
    answers.question || ': ' || answers.answer as preference_key,
    answers.campaign_id,
    answers.answered_at,
    answers.answer_id,
    answers.load_id,
    answers.source_file,
    answers.source_row
from {{ ref('stg_newsletter__survey_answers') }} as answers
inner join {{ ref('int_marketing__subscribers') }} as subscribers using (subscriber_id)
qualify row_number() over (
    partition by subscribers.customer_id, answers.question
    order by answers.answered_at desc, answers.answer_id desc
) = 1
