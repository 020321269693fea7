package dev.pons.platform.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.pons.platform.control.Text;

/**
 * Path and query parameters reach database queries as ids, cursors and filters; PostgreSQL refuses a
 * NUL in any of them, which would answer 500. None of them needs a control character, so a request
 * with one is refused before any resource runs, naming each parameter.
 */
@Provider
public class ParameterCheck implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        TreeSet<String> problems = new TreeSet<>();
        collect(request.getUriInfo().getPathParameters(), problems);
        collect(request.getUriInfo().getQueryParameters(), problems);
        if (!problems.isEmpty()) {
            request.abortWith(ErrorMappers.json(400, new ApiError("invalid parameter", List.copyOf(problems))));
        }
    }

    private static void collect(MultivaluedMap<String, String> parameters, TreeSet<String> problems) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().stream().anyMatch(Text::hasControlCharacters)) {
                problems.add(printable(parameter.getKey()) + ": must not contain control characters");
            }
        }
    }

    private static String printable(String name) {
        String shown = name.codePoints().filter(c -> !Character.isISOControl(c)).limit(60)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.isEmpty() ? "?" : shown;
    }
}
