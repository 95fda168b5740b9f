package dev.responsecache.jaxrs;

import java.lang.annotation.Annotation;

import org.glassfish.jersey.server.mvc.Template;
import org.glassfish.jersey.server.mvc.Viewable;

/**
 * Jersey MVC's own replacement of a {@code @Template} method's model, which the cache admits. Jersey MVC's writer
 * interceptor ({@code TemplateMethodInterceptor}) puts a {@code new Viewable(template.name(), model)} in the model's
 * place, for a method whose entity annotations carry {@code @Template}, and its writer renders that. A hit is given
 * to {@code abortWith}: its entity carries the method's annotations but that one ({@link EntityAnnotations}), so the
 * interceptor finds no {@code @Template} and leaves
 * the stored bytes as they are, and they are not rendered a second time. Anything else in the model's place (an
 * envelope, a {@code Viewable} of another template or around another object, a subclass) is still a replacement.
 * Loaded only once a written entity's class is named as Jersey MVC's {@code Viewable}.
 */
final class JerseyTemplates {

    static final String VIEWABLE = "org.glassfish.jersey.server.mvc.Viewable";

    private JerseyTemplates() {
    }

    /**
     * Whether {@code written} is exactly what Jersey MVC's interceptor makes of {@code model} for a method annotated
     * with {@code annotations}: a {@code Viewable} (the class itself) of the {@code @Template}'s name around that
     * very model. {@code annotations} are the method's, not those the entity is written with, which an application
     * interceptor may replace with another {@code @Template}. Null: none known.
     */
    static boolean renderedModel(Object written, Object model, Annotation[] annotations) {
        if (written.getClass() != Viewable.class) {
            return false;
        }
        Viewable viewable = (Viewable) written;
        if (viewable.getModel() != model) {
            return false;
        }
        if (annotations == null) {
            return false;
        }
        for (Annotation annotation : annotations) {
            if (annotation instanceof Template template) {
                return template.name().equals(viewable.getTemplateName());
            }
        }
        return false;
    }
}
