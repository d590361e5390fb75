package dev.kanmon.queue.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Maps {@link RecipientState} to the lower-case values used in SQL and the operator API. */
@Converter(autoApply = true)
public final class RecipientStateConverter implements AttributeConverter<RecipientState, String> {

    @Override
    public String convertToDatabaseColumn(RecipientState state) {
        return state == null ? null : state.dbValue();
    }

    @Override
    public RecipientState convertToEntityAttribute(String value) {
        return value == null ? null : RecipientState.ofDb(value);
    }
}
