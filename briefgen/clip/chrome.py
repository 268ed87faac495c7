"""Page chrome: recognising the lines around an article (navigation, share widgets, cookie
notices, counters, copyright lines, related links) in English and Russian."""

from __future__ import annotations

import re

__all__ = [
    "copyright_outlet",
    "is_chrome",
    "is_end_marker",
    "is_glued_widget",
    "is_nav_line",
    "is_reuse_policy",
    "is_ticker",
    "script_of",
]

_SOCIAL = {
    "facebook", "twitter", "x", "telegram", "whatsapp", "viber", "vk", "vkontakte", "вконтакте",
    "одноклассники", "ok", "ок", "linkedin", "reddit", "instagram", "youtube", "threads",
    "bluesky", "mastodon", "pinterest", "tiktok", "дзен", "яндекс дзен", "яндекс.дзен",
    "messenger", "email", "e-mail", "rss", "flipboard", "pocket", "max", "rutube", "mail",
}
_NAV = {
    "home", "news", "world", "politics", "business", "economy", "markets", "money", "tech",
    "technology", "science", "health", "climate", "environment", "sport", "sports", "culture",
    "arts", "opinion", "opinions", "analysis", "video", "videos", "audio", "podcasts", "podcast",
    "live", "weather", "local", "cities", "lifestyle", "travel", "food", "style", "education",
    "society", "crime", "entertainment", "books", "sections", "latest", "more", "uk", "us",
    "europe", "asia", "africa", "americas", "middle east", "about", "about us", "contact",
    "contact us", "contacts", "careers", "jobs", "advertise", "advertising", "privacy",
    "privacy policy", "privacy notice", "terms", "terms of use", "terms of service",
    "terms and conditions", "help", "faq", "sitemap", "accessibility", "archive", "corrections",
    "главная", "новости", "политика", "экономика", "общество", "происшествия", "спорт",
    "культура", "наука", "технологии", "мнения", "мнение", "видео", "фото", "подкасты",
    "регионы", "мир", "в мире", "россия", "авто", "недвижимость", "здоровье", "образование",
    "туризм", "лента", "бизнес", "город", "интервью", "колонки", "спецпроекты", "аналитика",
    "о нас", "о проекте", "контакты", "редакция", "вакансии", "реклама", "реклама на сайте",
    "политика конфиденциальности", "пользовательское соглашение", "архив", "карта сайта",
    "все новости", "лента новостей",
}
_EXACT = re.compile(r"""^(?:
    skip\ to\ (?:main\ )?content | jump\ to | menu | main\ menu | search(?:\ the\ site)?…? |
    sign\ in | log\ ?in | log\ out | register | subscribe(?:\ now)? | sign\ up(?:\ now)? |
    my\ account | account | share(?:\ this(?:\ article|\ story|\ page|\ update)?)?:? |
    share\ (?:on|via)\ .+ | tweet | print(?:\ this(?:\ article)?)? | save(?:\ article)? |
    bookmark | copy(?:\ the)?\ link | link\ copied!? | copied!? | listen(?:\ to\ this\ article)? |
    comments?(?:\ \(\d+\))? | \d+\ comments? | advertisement | advert | sponsored(?:\ content)? |
    ad | follow\ us.* | back\ to\ top | read\ more | show\ more | load\ more | next | previous |
    close | accept(?:\ all)?(?:\ cookies)? | reject(?:\ all)? | decline | got\ it | ok | agree |
    i\ agree | manage\ (?:preferences|cookies|settings|options) | cookie\ (?:settings|policy) |
    (?:tags?|topics?|filed\ under|categories)\s*:.* | get\ the\ app | download\ the\ app |
    open\ in\ app | newsletters? | give\ feedback | report\ an?\ (?:error|correction) |
    перейти\ к\ (?:содержанию|основному\ содержанию) | меню | поиск | найти(?:\ на\ сайте)? |
    войти | вход | выйти | регистрация | подписаться | подписка | поделиться:? | распечатать |
    печать | версия\ для\ печати | (?:с)?копировать\ ссылку | ссылка\ скопирована.* |
    ссылку\ скопировали.* | комментари[ийя](?:\ \(?\d+\)?)? | \d+\ комментари\w* |
    партн[её]рский\ материал | на\ правах\ рекламы | читать\ (?:далее|полностью) | ещ[её] |
    показать\ ещ[её] | закрыть | принять(?:\ все)? | согласен | согласна | хорошо | понятно |
    отклонить | настройки(?:\ cookie)? | (?:теги|темы|метки)\s*:.* | скачать\ приложение |
    (?:подписывайтесь|следите\ за\ нами|мы\ в\ соцсетях).* | нашли\ ошибку.* |
    новости\ партн[её]ров | в\ избранное | добавить\ в\ избранное | слушать |
    get\ (?:our|the)\ app | our\ app | what\ are\ you\ looking\ for.* |
    type\ (?:here\ )?to\ search.* | что\ вы\ (?:хотите\ )?(?:ищете|найти).* |
    поиск\ по\ (?:сайту|новостям|материалам).* | введите\ (?:запрос|текст).* | \d{1,2}\+ |
    (?:наше\ )?приложение | скачайте\ (?:наше\ )?приложение.*
    )$""", re.IGNORECASE | re.VERBOSE)
_CONTAINS = re.compile(r"""
    \bcookies?\b | куки | \bcookie- | app\s?store | google\ play | appgallery | rustore |
    all\ rights\ reserved | все\ права\ защищены | перепечатк | \breproduction\b |
    \brepublication\b | \breuse\ of\ (?:this|our) | при\ (?:полном\ или\ частичном\ )?
    (?:использовании|цитировании)\ материал | views\ expressed | do\ not\ necessarily\ reflect |
    не\ обязательно\ совпада | может\ не\ совпадать\ с\ (?:позицией|мнением)\ редакции |
    reading\ time | время\ чтения | ^(?:photo|фото|image|illustration|иллюстрация|video|видео)
    \s*: | ^(?:©|\(c\)|copyright\b) | ^(?:read\ (?:also|more)|see\ also|читайте\ также|
    смотрите\ также|по\ теме)\s*: | clipboard | буфер\ обмена | \breuse\ policy |
    reprints?\ (?:and|&)\ permissions | ссылка\ на\ (?:сайт|источник)\ обязательна |
    зарегистрирован[оа]?\ (?:в\ )?роскомнадзор\w* | свидетельство\ о\ регистрации\ сми |
    \bэл\ №\s*фс
    """, re.IGNORECASE | re.VERBOSE)
_COUNTER = re.compile(
    r"^(?:👁\s*)?\d[\d\s.,]*[kmкмтыс.лн]*\s*(?:views?|просмотр\w*|reads?|прочтени\w*)$|"
    r"^(?:views?|просмотров|просмотры|прочтений)\s*:?\s*[\d\s.,]+[kmкм]?$|^👁.*$|"
    r"^\d+\s*(?:min|mins|minutes?|мин\.?|минут\w*)(?:\s*(?:read|чтения|на\s+чтение))?\.?$",
    re.IGNORECASE)
_END = re.compile(r"""^(?:
    related(?:\ stories|\ articles|\ content|\ news|\ coverage)? | more\ (?:from|on|stories).* |
    most\ (?:read|popular|viewed) | you\ (?:might|may)\ also\ like | recommended(?:\ for\ you)? |
    read\ (?:also|more)(?:\ about\ this)? | see\ also | top\ stories | trending(?:\ now)? |
    latest\ (?:news|stories) | editor'?s\ picks | читайте\ также | смотрите\ также |
    ещ[её]\ по\ теме | по\ теме | популярное | самое\ (?:читаемое|популярное) |
    рекомендуем | другие\ новости | главное(?:\ за\ (?:день|неделю))? | новости\ по\ теме |
    лучшее\ за\ неделю | выбор\ редакции
    )[:.]?$""", re.IGNORECASE | re.VERBOSE)
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?P<rest>.+)$",
                        re.IGNORECASE)
_NAME_FIRST = re.compile(  # 'Tidewaterpost.example © 2026', 'Northgate Post (c) 2020-2026.'
    r"^(?P<name>[^\s©]+(?:\s+[^\s©]+){0,4})\s*(?:©|\(c\))\s*\d{4}(?:\s*[-–—]\s*\d{4})?"
    r"(?:[.,;]\s*(?:all rights reserved|все права защищены)?\.?)?$", re.IGNORECASE)
_LEGAL_TAIL = re.compile(
    r"\s*(?:[.,;|]\s*)?(?:all rights reserved|все права защищены|\bltd\b|\bllc\b|\binc\b|"
    r"\bplc\b|\bgmbh\b)\.?", re.IGNORECASE)


# icon and widget names that pages glue to a network's name in a copy ("shareTelegram",
# "iconVKiconOK", "поделитьсяWhatsApp")
_WIDGET_WORDS = sorted(_SOCIAL | {
    "share", "icon", "ico", "copy", "link", "copylink", "print", "close", "arrow", "button",
    "btn", "svg", "logo", "comment", "comments", "bookmark", "save", "like", "more", "menu",
    "поделиться", "поделись", "скопировать", "копировать", "ссылку", "ссылка", "печать",
    "комментарии", "закладки", "сохранить"}, key=len, reverse=True)
_GLUED = re.compile("(?:" + "|".join(re.escape(w) for w in _WIDGET_WORDS) + ")+", re.IGNORECASE)
# a ticker: other stories' headlines, each after its time ("12:40 Harbour wall repairs ...")
_TICKER = re.compile(r"^(?:\d{1,2}[:.]\d{2})\s*[|·•—–-]?\s+(?P<rest>\S.*)$")
_TERMINAL = (".", "!", "?", "…", ";", ":", "\"", "»", "”")


def _plain(line: str) -> str:
    return " ".join(line.strip().strip("•·|").split())


def is_nav_line(line: str) -> bool:
    """A line made only of section names or footer links ('Home World Business', 'Politics |
    Economy', 'О нас', 'Facebook')."""
    text = _plain(line).lower().rstrip(":")
    if not text:
        return False
    if text in _NAV or text in _SOCIAL:
        return True
    parts = [p.strip() for p in re.split(r"\s*[|·•/,]\s*", text) if p.strip()]
    if len(parts) > 1 and all(p in _NAV or p in _SOCIAL for p in parts):
        return True
    words = text.split()
    return len(words) > 1 and all(w in _NAV or w in _SOCIAL for w in words)


def is_end_marker(line: str) -> bool:
    """A heading that ends the article: 'Related stories', 'Most read', 'Читайте также'."""
    return bool(_END.match(_plain(line)))


def is_glued_widget(line: str) -> bool:
    """A share widget copied as icon and network names glued together ('shareTelegram',
    'iconVKiconOK', 'copyLink'): the whole line, spaces removed, is such names."""
    text = "".join(_plain(line).split())
    return 0 < len(text) <= 120 and bool(_GLUED.fullmatch(text))


def is_ticker(line: str) -> bool:
    """A headline of another story after its time: '12:40 Harbour wall repairs to start'."""
    match = _TICKER.match(_plain(line))
    if match is None:
        return False
    return len(match["rest"].split()) <= 20 and not match["rest"].endswith(_TERMINAL)


# a reuse policy names the site's materials, what may be done with them, and on what terms
_REUSE = (
    re.compile(r"\b(?:materials?|articles?|content|texts?|stories)\b|материал|стат[ьеи]|"
               r"публикаци|текст", re.IGNORECASE),
    re.compile(r"\b(?:reus\w*|reproduc\w*|republish\w*|cop(?:y|ied|ying)|us(?:e|ed|ing)|"
               r"quot\w*)\b|использ|перепечат|воспроизв|копир|цитир", re.IGNORECASE),
    re.compile(r"\b(?:(?:hyper)?link|permission|consent)\b|ссылк|гиперссылк|разрешени|"
               r"соглас", re.IGNORECASE),
    re.compile(r"\b(?:site|our|original|source|publisher|editors?)\b|\w\.[a-z]{2,}\b|сайт|"
               r"источник|редакци|издани|правообладател", re.IGNORECASE),
)


def is_reuse_policy(line: str) -> bool:
    """'All materials may be reused only with a direct hyperlink to example.org',
    'Использование материалов сайта разрешено только с гиперссылкой на источник'."""
    text = _plain(line)
    return len(text.split()) <= 40 and all(pattern.search(text) for pattern in _REUSE)


def is_chrome(line: str) -> bool:
    """True for a line that is page furniture, never article text."""
    text = _plain(line)
    if not text:
        return False
    if _EXACT.match(text) or _COUNTER.match(text) or is_nav_line(text) or is_end_marker(text):
        return True
    if is_glued_widget(text) or is_ticker(text) or is_reuse_policy(text):
        return True
    if text.isupper() and len(text.split()) <= 8:
        return True  # a logo, a section label or a search prompt in capitals
    return len(text.split()) <= 60 and bool(_CONTAINS.search(text))


def copyright_outlet(line: str) -> str:
    """'© 2026 The Weekly Lantern. Reproduction ... ' -> 'The Weekly Lantern', 'Name.tld © 2026'
    -> 'Name.tld'; '' otherwise."""
    text = _plain(line)
    trailing = _NAME_FIRST.match(text)
    if trailing:
        return trailing["name"].strip(" .,;:«»\"“”„'")
    match = _COPYRIGHT.match(text)
    if not match:
        return ""
    rest = match["rest"]
    rest = re.sub(r"^(?:\d{4}(?:\s*[-–—]\s*\d{4})?\s*,?\s*)", "", rest)
    rest = re.split(r"(?<=[^\s.]{2})\.\s|\.$|\s[|·•]\s|;", rest, maxsplit=1)[0]
    rest = _LEGAL_TAIL.sub("", rest)
    rest = re.sub(r"[,\s]+\d{4}(?:\s*[-–—]\s*\d{4})?\s*$", "", rest)
    rest = rest.strip(" .,;:«»\"“”„'")
    return rest if rest and len(rest.split()) <= 8 else ""


def script_of(text: str) -> str:
    """'cyrillic', 'latin' or '' for the script most letters of text are written in."""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cyrillic == latin == 0:
        return ""
    return "cyrillic" if cyrillic > latin else "latin"
