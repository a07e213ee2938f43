package com.anythingagents.stripe.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Maps {@code METHOD /v1/things/{id}} templates to handlers; first registered match wins. */
final class Router {

    interface Handler {
        JsonNode handle(ApiRequest request);
    }

    record Match(Handler handler, Map<String, String> pathParams) {}

    private record Route(String method, Pattern pattern, List<String> names, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    Router route(String method, String template, Handler handler) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, handler));
        return this;
    }

    Optional<Match> match(String method, String path) {
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                Map<String, String> params = new HashMap<>();
                for (int i = 0; i < route.names().size(); i++) {
                    params.put(route.names().get(i), m.group(i + 1));
                }
                return Optional.of(new Match(route.handler(), params));
            }
        }
        return Optional.empty();
    }
}
