package dev.responsecache.sample;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.LocalTime;
import java.util.Locale;

/** Responses that differ by a request header or cookie: {@code varyBy} keeps one entry per value. */
@Path("greeting")
@Produces(MediaType.TEXT_PLAIN)
public class GreetingResource {

    /** One entry per Accept-Language value. */
    @GET
    @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
    public String greeting(@HeaderParam("Accept-Language") String language) {
        String lang = language == null ? "en" : language.toLowerCase(Locale.ROOT);
        String word = lang.startsWith("fr") ? "Bonjour" : lang.startsWith("de") ? "Hallo" : "Hello";
        return word + " (rendered at " + LocalTime.now().withNano(0) + ")\n";
    }

    /** One entry per value of the {@code theme} cookie. */
    @GET
    @Path("banner")
    @Produces(MediaType.TEXT_HTML)
    @CacheResponse(ttl = 60, varyBy = "cookie:theme")
    public String banner(@CookieParam("theme") String theme) {
        String colour = "dark".equals(theme) ? "#222" : "#eee";
        return "<div style=\"background:" + colour + "\">Spring sale (rendered at " + LocalTime.now().withNano(0)
                + ")</div>\n";
    }
}
