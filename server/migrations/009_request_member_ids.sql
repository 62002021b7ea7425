-- Requests name people by member id, a number, as the rest of the server does. Until now the
-- workflow JSON held them as text ("owner": "42", each timeline event's "actor": "42"): the
-- owner becomes the row's owner_id, and each actor the number its text spells.
UPDATE requests
SET workflow = json_set(
    workflow,
    '$.owner', owner_id,
    '$.timeline', (
        SELECT json_group_array(
            json_set(e.value, '$.actor', CAST(json_extract(e.value, '$.actor') AS INTEGER))
            ORDER BY e.key
        )
        FROM json_each(requests.workflow, '$.timeline') AS e
    )
)
WHERE json_type(workflow, '$.owner') = 'text';
