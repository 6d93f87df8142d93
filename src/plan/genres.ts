/**
 * The kinds of document a title ends with and a question calls a plan by (…工作方案, …的通告, 这份预案).
 * One list for the parser, the plan catalogue and the router, so that a kind added here is read everywhere.
 */
export const GENRES = ["方案", "规划", "纲要", "意见", "计划", "要点", "办法", "细则", "规定", "决定", "条例", "措施", "通知", "通告", "公告", "预案", "指南", "解读", "报告"] as const;

/** The kinds as a regular-expression alternation (方案|规划|…). */
export const GENRE_ALT = GENRES.join("|");
