package dev.wisp.controller.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static ApiRoute route(String base, String path, String method, String action) {
        return new ApiRoute("guest", base, RouteTemplate.parse(path), method, EntityPath.of("guest", action), "json",
                null, true);
    }

    private final RouteTable table = new RouteTable(List.of(
            route("/library", "/books", "get", "list"),
            route("/library", "/books", "post", "add"),
            route("/library", "/books/{isbn}", "get", "one"),
            route("/library", "/books/new", "get", "newest"),
            route("/library", "/books/{isbn}/reviews/{id}", "delete", "unreview"),
            route("/library/admin", "/books", "get", "admin"),
            route("/", "/hello", "get", "hello")));

    private RouteTable.Found found(String method, String path) {
        return assertInstanceOf(RouteTable.Found.class, table.find(method, path));
    }

    @Test
    void matchesByVerbAndPath() {
        assertEquals("list", found("GET", "/library/books").route().action().name());
        assertEquals("add", found("post", "/library/books").route().action().name());
        assertEquals("hello", found("GET", "/hello").route().action().name());
        assertEquals("/books", found("GET", "/library/books/").relPath()); // a trailing slash is the same path
    }

    @Test
    void pathParametersAreNamedAndALiteralSegmentWinsOverAParameter() {
        RouteTable.Found one = found("GET", "/library/books/978-3-16");
        assertEquals("one", one.route().action().name());
        assertEquals(Map.of("isbn", "978-3-16"), one.parameters());
        assertEquals("/books/978-3-16", one.relPath());
        assertEquals("newest", found("GET", "/library/books/new").route().action().name());
        RouteTable.Found review = found("DELETE", "/library/books/42/reviews/7");
        assertEquals(Map.of("isbn", "42", "id", "7"), review.parameters());
    }

    @Test
    void theLongestBasePathIsTriedFirstThenShorterOnes() {
        assertEquals("admin", found("GET", "/library/admin/books").route().action().name());
        // /library/admin has no /books/{isbn}; /library's /books/{isbn} does not match three segments either
        assertInstanceOf(RouteTable.NotFound.class, table.find("GET", "/library/admin/books/1"));
    }

    @Test
    void aKnownPathWithAnotherVerbNamesTheVerbsItServes() {
        RouteTable.WrongMethod wrong = assertInstanceOf(RouteTable.WrongMethod.class,
                table.find("PUT", "/library/books"));
        assertEquals(Set.of("GET", "POST"), wrong.allowed());
        assertTrue(wrong.cors());
    }

    @Test
    void unknownPathsAreNotFound() {
        assertInstanceOf(RouteTable.NotFound.class, table.find("GET", "/library"));
        assertInstanceOf(RouteTable.NotFound.class, table.find("GET", "/libraryx/books"));
        assertInstanceOf(RouteTable.NotFound.class, table.find("GET", "/library/books/1/2"));
        assertInstanceOf(RouteTable.NotFound.class, new RouteTable(List.of()).find("GET", "/"));
    }

    @Test
    void templatesRefuseMalformedParameters() {
        assertEquals(400, assertThrows(WispException.class, () -> RouteTemplate.parse("books")).status());
        assertEquals(400, assertThrows(WispException.class, () -> RouteTemplate.parse("/books/{isbn")).status());
        assertEquals(400, assertThrows(WispException.class, () -> RouteTemplate.parse("/b{x}")).status());
        assertEquals(400, assertThrows(WispException.class, () -> RouteTemplate.parse("/{a}/{a}")).status());
        assertEquals(List.of("isbn"), RouteTemplate.parse("/books/{isbn}").parameterNames());
        assertFalse(RouteTemplate.parse("/books/{isbn}").match(List.of("books")).isPresent());
    }
}
