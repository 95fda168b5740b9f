package dev.responsecache.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** When a resource method's endpoint goes away, which {@link SunsetHeaders} announces (RFC 8594). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SunsetOn {

    String value();
}
