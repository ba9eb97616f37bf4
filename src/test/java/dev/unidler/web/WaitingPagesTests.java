package dev.unidler.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.unidler.TestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waiting page is rendered once per app and state, and what a crowd gets is exactly
 * what the first visitor got.
 */
class WaitingPagesTests {

	private final WaitingPages pages = new WaitingPages(WebWiring.templates(), new PageAssets(),
			TestProperties.defaults());

	@Test
	void oneRenderPerAppAndState() {
		PageState starting = PageState.of(List.of(), null);
		byte[] first = this.pages.render("app1.example.test", starting);
		assertThat(this.pages.render("app1.example.test", PageState.of(List.of(), null))).isSameAs(first);
		assertThat(new String(first, StandardCharsets.UTF_8)).contains("app1.example.test")
			.contains("new EventSource(");

		byte[] other = this.pages.render("app2.example.test", starting);
		assertThat(other).isNotSameAs(first);
		assertThat(new String(other, StandardCharsets.UTF_8)).contains("app2.example.test")
			.doesNotContain("app1.example.test");
	}

	@Test
	void theCacheStaysBounded() {
		for (int i = 0; i <= WaitingPages.RENDERED_PAGES; i++) {
			this.pages.render("app" + i + ".example.test", PageState.of(List.of(), null));
		}
		assertThat(this.pages.size()).isLessThanOrEqualTo(WaitingPages.RENDERED_PAGES);
	}

}
