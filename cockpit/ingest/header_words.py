"""Header words however they are written: case, separators, numbering, accents, languages.

`words(header)` turns a header into plain lower-case English words, so one list of synonyms
per canonical column serves exports from many systems and countries:

    'BookingID_Date'            -> 'booking id date'
    '17. How would you rate …'  -> 'how would you rate …'
    'Fecha de pedido'           -> 'date order'
    'Nombre de trains annulés'  -> 'number trains cancelled'

The translations are word for word (a synonym matches when all its words appear, in any
order), for the words the canonical columns and the datasets' evidence are made of.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Units in brackets say what a number is measured in; they are not words of its name.
_UNIT_SUFFIX = re.compile(
    r"\((?:s|sec|secs|seconds|min|mins|minutes|h|hr|hrs|hours|%|\$|£|€|usd|gbp|eur|avg)\)"
)
_NUMBERING = re.compile(r"^\s*(?:q\s*)?\d{1,3}\s*[.)\]:-]\s+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Little words that carry no meaning in a header, in the seven languages.
STOP_WORDS = frozenset(
    [
     "of", "the", "a", "an", "and", "in", "for", "to", "per", "by", "de", "del", "la", "las",
     "los", "el", "y", "en", "por", "para", "al", "du", "des", "le", "les", "et", "pour", "au",
     "aux", "d", "l", "der", "die", "das", "den", "dem", "des", "und", "fur", "im", "am", "zum",
     "zur", "von", "do", "da", "dos", "das", "em", "na", "di", "dell", "della", "dello", "dei",
     "degli", "delle", "il", "lo", "gli", "e", "per", "van", "het", "en", "voor", "op",
    ]
)  # fmt: skip

# Word for word into English: Spanish, French, German, Portuguese, Italian, Dutch.
TRANSLATIONS = {
    # dates and periods
    "fecha": "date", "datum": "date", "mes": "month", "mois": "month", "monat": "month",
    "mese": "month", "maand": "month", "mês": "month", "ano": "year", "annee": "year",
    "jahr": "year", "anno": "year", "jaar": "year", "hora": "time", "heure": "time",
    "uhrzeit": "time", "ora": "time", "tijd": "time", "zeit": "time", "periodo": "period",
    "periode": "period",
    # orders and sales
    "pedido": "order", "pedidos": "orders", "commande": "order", "commandes": "orders",
    "bestellung": "order", "auftrag": "order", "encomenda": "order", "ordine": "order", "ordini": "orders",
    "bestelling": "order", "venta": "sale", "ventas": "sales", "vente": "sale",
    "ventes": "sales", "verkauf": "sale", "verkaufe": "sales", "venda": "sale",
    "vendas": "sales", "vendita": "sale", "vendite": "sales", "verkoop": "sales",
    "monto": "amount", "importe": "amount", "montant": "amount", "betrag": "amount",
    "importo": "amount", "bedrag": "amount", "valor": "value", "valeur": "value",
    "wert": "value", "valore": "value", "waarde": "value", "cantidad": "quantity",
    "quantite": "quantity", "menge": "quantity", "quantidade": "quantity",
    "quantita": "quantity", "aantal": "quantity", "unidades": "units", "unites": "units",
    "stuck": "units", "unidade": "units", "unita": "units", "stuks": "units",
    "ingresos": "revenue", "umsatz": "revenue", "receita": "revenue", "ricavi": "revenue",
    "fatturato": "revenue", "omzet": "revenue", "facturacion": "revenue",
    "beneficio": "profit", "ganancia": "profit", "benefice": "profit", "gewinn": "profit",
    "lucro": "profit", "utile": "profit", "winst": "profit", "coste": "cost",
    "costo": "cost", "cout": "cost", "kosten": "cost", "custo": "cost", "precio": "price",
    "prix": "price", "preis": "price", "preco": "price", "prezzo": "price", "prijs": "price",
    "cliente": "customer", "client": "customer", "kunde": "customer", "klant": "customer",
    "producto": "product", "produit": "product", "produkt": "product", "artikel": "product",
    "produto": "product", "prodotto": "product", "categoria": "category",
    "categorie": "category", "kategorie": "category", "canal": "channel", "kanal": "channel",
    "canale": "channel", "kanaal": "channel", "tienda": "store", "magasin": "store",
    "filiale": "store", "loja": "store", "negozio": "store", "winkel": "store",
    "sucursal": "store", "ciudad": "city", "ville": "city", "stadt": "city",
    "cidade": "city", "citta": "city", "stad": "city", "pais": "country", "pays": "country",
    "land": "country", "paese": "country", "region": "region", "regione": "region",
    "envio": "ship", "expedition": "ship", "versand": "ship", "envio_": "ship",
    "spedizione": "ship", "verzending": "ship", "entrega": "delivery",
    "livraison": "delivery", "lieferung": "delivery", "consegna": "delivery",
    "levering": "delivery", "entregado": "delivered", "livre": "delivered",
    "geliefert": "delivered", "entregue": "delivered", "consegnato": "delivered",
    "geleverd": "delivered", "prometida": "promised", "prevue": "promised",
    "prevues": "planned", "devolucion": "return", "retour": "return",
    "rucksendung": "return", "devolucao": "return", "reso": "return",
    "numero": "number", "nummer": "number", "nombre": "number", "n": "number",
    "nr": "number", "no": "no", "nº": "number", "num": "number",
    # budgets
    "presupuesto": "budget", "presupuestado": "budget", "budgete": "budget",
    "orcamento": "budget", "bilancio": "budget", "begroting": "budget", "soll": "budget",
    "real": "actual", "reel": "actual", "ist": "actual", "realizado": "actual",
    "consuntivo": "actual", "effettivo": "actual", "werkelijk": "actual",
    "departamento": "department", "departement": "department", "abteilung": "department",
    "reparto": "department", "afdeling": "department", "kostenstelle": "cost centre",
    "cuenta": "account", "compte": "account", "konto": "account", "conta": "account",
    "conto": "account", "rekening": "account", "proyecto": "project", "projet": "project",
    "projekt": "project", "projeto": "project", "progetto": "project", "gasto": "expense",
    "gastos": "expenses", "depense": "expense", "depenses": "expenses",
    "ausgaben": "expenses", "despesa": "expense", "despesas": "expenses",
    "spese": "expenses", "uitgaven": "expenses", "objetivo": "target", "meta": "target",
    "objectif": "target", "cible": "target", "ziel": "target", "obiettivo": "target",
    "doel": "target",
    # plant
    "produccion": "production", "produktion": "production", "producao": "production",
    "produzione": "production", "productie": "production", "linea": "line",
    "ligne": "line", "linie": "line", "linha": "line", "lijn": "line", "lote": "batch",
    "lot": "batch", "charge": "batch", "lotto": "batch", "partij": "batch",
    "turno": "shift", "equipe": "shift", "schicht": "shift", "ploeg": "shift",
    "operador": "operator", "operateur": "operator", "bediener": "operator",
    "operatore": "operator", "planta": "plant", "usine": "plant", "werk": "plant",
    "fabrica": "plant", "stabilimento": "plant", "fabriek": "plant", "minutos": "minutes",
    "minuten": "minutes", "minuti": "minutes", "duracion": "duration", "duree": "duration",
    "dauer": "duration", "duracao": "duration", "durata": "duration", "duur": "duration",
    "motivo": "reason", "raison": "reason", "motif": "reason", "grund": "reason",
    "reden": "reason", "causa": "cause", "ursache": "cause", "oorzaak": "cause",
    "paro": "stoppage", "parada": "stoppage", "arret": "stoppage", "stillstand": "downtime",
    "fermo": "stoppage", "stilstand": "downtime", "averia": "breakdown", "panne": "breakdown",
    "storung": "breakdown", "falha": "breakdown", "guasto": "breakdown", "storing": "breakdown",
    "inicio": "start", "debut": "start", "beginn": "start", "inizio": "start",
    "fin": "end", "ende": "end", "fim": "end", "fine": "end", "einde": "end",
    "previsto": "planned", "planificado": "planned", "geplant": "planned",
    "pianificato": "planned", "gepland": "planned", "buenas": "good", "bonnes": "good",
    "gut": "good", "boas": "good", "buone": "good", "goed": "good", "rechazo": "scrap",
    "rebut": "scrap", "ausschuss": "scrap", "refugo": "scrap", "scarto": "scrap",
    "uitval": "scrap",
    # service
    "llamada": "call", "llamadas": "calls", "appel": "call", "appels": "calls",
    "anruf": "call", "anrufe": "calls", "chamada": "call", "chamadas": "calls",
    "chiamata": "call", "chiamate": "calls", "oproep": "call", "oproepen": "calls",
    "gesprek": "call", "agente": "agent", "agent": "agent", "atendidas": "answered",
    "contestadas": "answered", "repondus": "answered", "beantwortet": "answered",
    "atendidos": "answered", "risposte": "answered", "beantwoord": "answered",
    "abandonadas": "abandoned", "abandonnes": "abandoned", "abgebrochen": "abandoned",
    "abbandonate": "abandoned", "verlaten": "abandoned", "incidencia": "incident",
    "incidente": "incident", "vorfall": "incident", "encuesta": "survey",
    "enquete": "survey", "umfrage": "survey", "pesquisa": "survey", "sondaggio": "survey",
    "puntuacion": "score", "bewertung": "rating", "pontuacao": "score",
    "punteggio": "score", "satisfaccion": "satisfaction", "zufriedenheit": "satisfaction",
    "satisfacao": "satisfaction", "soddisfazione": "satisfaction",
    "tevredenheid": "satisfaction", "retard": "late", "retraso": "late",
    "verspatung": "late", "atraso": "late", "ritardo": "late", "vertraging": "late",
    "annules": "cancelled", "cancelados": "cancelled", "storniert": "cancelled",
    "cancellati": "cancelled", "geannuleerd": "cancelled",
}  # fmt: skip

# Multi-word phrases first (they would not survive word for word).
PHRASES = {
    "chiffre d affaires": "revenue",
    "centro de coste": "cost centre",
    "centro de costo": "cost centre",
    "centre de cout": "cost centre",
    "centro di costo": "cost centre",
    "centro de custo": "cost centre",
    "date heure": "timestamp",
    "fecha hora": "timestamp",
}

# Portuguese/Italian "data" is a date; English "data" in a header is rare and never alone.
_DATA_AS_DATE = re.compile(r"^data(?= |$)(?=( (de|do|da|di|del|della|dos|das))|$)")


def strip_accents(text: str) -> str:
    """'Región' -> 'Region' (so one spelling serves headers typed with or without accents)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def split_words(header: str) -> str:
    """Lower-case words of a header as written: camelCase, snake_case, dots, numbering, units."""
    text = _NUMBERING.sub("", str(header))
    text = _CAMEL.sub(" ", text)
    text = _UNIT_SUFFIX.sub(" ", text.lower())
    text = strip_accents(text)
    text = re.sub(r"[_\-./#:()\[\],;'’?!]+", " ", text)
    text = re.sub(r"[^\w\s%]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=65_536)
def words(header: str) -> str:
    """A header as plain English words (see the module docstring). Cached: every dataset's
    evidence and mapping reads each header again (a wide sheet has thousands)."""
    text = split_words(header)
    text = _DATA_AS_DATE.sub("date", text)
    for phrase, english in PHRASES.items():
        if phrase in text:
            text = re.sub(rf"\b{phrase}\b", english, text)
    out = [TRANSLATIONS.get(w, w) for w in text.split()]
    kept = [w for w in out if w not in STOP_WORDS]
    return " ".join(kept or out)
