package dev.pons.platform.boundary;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a request body the resource takes as a {@link JsonObject}, and refuses anything else with
 * 400. Left to the generic JSON-P reader, an array or a string reached the resource method as the
 * wrong type: the call failed with 500, and the runtime's error message listed the method's
 * arguments, the caller's API key among them, in the server log.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
@Priority(Priorities.USER)
public class JsonObjectBodies implements MessageBodyReader<JsonObject> {

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                               MultivaluedMap<String, String> httpHeaders, InputStream entityStream) {
        JsonValue value;
        try (JsonReader reader = Json.createReader(entityStream)) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new BadRequestException("request body is not valid JSON for this call");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadRequestException("request body must be a JSON object, not " + value.getValueType().name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        return value.asJsonObject();
    }
}
