//! Files plugins add to the output (jekyll-feed, jekyll-sitemap, jekyll-redirect-from).
