"""``/api/v1/pillars``, ``goals``, ``threats``, ``drivers``, ``regions``, ``trends``, ``vital-interests``:
the strategy as data."""

from __future__ import annotations

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel

from gbvs.drivers import Indicator
from gbvs.security import Permission
from gbvs.strategy import Goal, Region, Threat
from gbvs.strategy.model import Driver, Pillar, Trend, VitalInterest
from gbvs.web.api.common import Page, Paging, api_router, paginate
from gbvs.web.pagecache import cached
from gbvs.web.queries.strategy import current_strategy, indicators_for_drivers

router = api_router(Permission.strategy_read, "strategy")


class DriverDetail(BaseModel):
    """An instability driver, the panel indicators that measure it and the goals that address it."""

    driver: Driver
    indicators: list[Indicator]
    goals: list[int]


class RegionDetail(BaseModel):
    """A focus region with the ISO3 codes of all its countries (group regions resolved)."""

    region: Region
    iso3: list[str]


class TrendDetail(BaseModel):
    """A trend of chapter 2 with the instability drivers filed under it and the goals addressing them."""

    trend: Trend
    drivers: list[str]
    goals: list[int]


class VitalInterestDetail(BaseModel):
    """A vital interest with the threats (numbers) that affect it and the goals addressing those threats."""

    vital_interest: VitalInterest
    threats: list[int]
    goals: list[int]


@router.get("/pillars", response_model=Page[Pillar], summary="The three pillars")
@cached
def read_pillars(request: Request, response: Response, paging: Paging) -> Page[Pillar]:
    """Prevent, defend, strengthen (voorkomen, verdedigen, versterken)."""
    return paginate(request, response, current_strategy().pillars, paging)


@router.get("/goals", response_model=Page[Goal], summary="The strategic goals")
@cached
def read_goals(
    request: Request,
    response: Response,
    paging: Paging,
    pillar: str | None = Query(default=None, max_length=50, description="Only the goals of this pillar id"),
) -> Page[Goal]:
    """The goals (13 in GBVS 2018-2022), each with its threats, drivers, instruments and places."""
    return paginate(request, response, current_strategy().goals_in(pillar), paging)


@router.get("/goals/{number}", response_model=Goal, summary="One goal")
@cached
def read_goal(request: Request, number: int = Path(ge=1, le=1000)) -> Goal:
    """A goal by its number."""
    return current_strategy().goal(number)


@router.get("/threats", response_model=Page[Threat], summary="The most urgent threats")
@cached
def read_threats(request: Request, response: Response, paging: Paging) -> Page[Threat]:
    """The threats of chapter 3 (numbered as §3.1..3.6)."""
    return paginate(request, response, current_strategy().threats, paging)


@router.get("/threats/{number}", response_model=Threat, summary="One threat")
@cached
def read_threat(request: Request, number: int = Path(ge=1, le=1000)) -> Threat:
    """A threat by its number."""
    return current_strategy().threat(number)


@router.get("/drivers", response_model=Page[DriverDetail], summary="Instability drivers")
@cached
def read_drivers(request: Request, response: Response, paging: Paging) -> Page[DriverDetail]:
    """The instability drivers (§2.2) and early-warning indicators, with their measures and goals."""
    details = [_driver_detail(driver.id) for driver in current_strategy().drivers]
    return paginate(request, response, details, paging)


@router.get("/drivers/{driver_id}", response_model=DriverDetail, summary="One instability driver")
@cached
def read_driver(
    request: Request, driver_id: str = Path(max_length=100, examples=["climate_change"])
) -> DriverDetail:
    """A driver by id, e.g. ``climate_change``."""
    return _driver_detail(driver_id)


@router.get("/regions", response_model=Page[RegionDetail], summary="Focus regions")
@cached
def read_regions(request: Request, response: Response, paging: Paging) -> Page[RegionDetail]:
    """The focus regions of the strategy with their countries."""
    details = [_region_detail(region.id) for region in current_strategy().regions]
    return paginate(request, response, details, paging)


@router.get("/regions/{region_id}", response_model=RegionDetail, summary="One focus region")
@cached
def read_region(request: Request, region_id: str = Path(max_length=100, examples=["sahel"])) -> RegionDetail:
    """A focus region by id, e.g. ``sahel``."""
    return _region_detail(region_id)


def _driver_detail(driver_id: str) -> DriverDetail:
    strategy = current_strategy()
    driver = strategy.driver(driver_id)
    goals = [goal.number for goal in strategy.goals_for_driver(driver_id)]
    return DriverDetail(driver=driver, indicators=list(indicators_for_drivers((driver_id,))), goals=goals)


def _region_detail(region_id: str) -> RegionDetail:
    strategy = current_strategy()
    region = strategy.region(region_id)
    return RegionDetail(region=region, iso3=sorted(c.iso3 for c in strategy.countries_in_region(region_id)))


# analyst (issue 12, fix 14): the trends of chapter 2 and the vital interests
@router.get("/trends", response_model=Page[TrendDetail], summary="The trends of chapter 2")
@cached
def read_trends(request: Request, response: Response, paging: Paging) -> Page[TrendDetail]:
    """The four trends, each with its instability drivers and the goals addressing them."""
    details = [_trend_detail(trend.id) for trend in current_strategy().trends]
    return paginate(request, response, details, paging)


@router.get("/trends/{trend_id}", response_model=TrendDetail, summary="One trend")
@cached
def read_trend(
    request: Request, trend_id: str = Path(max_length=100, examples=["multi_order_world"])
) -> TrendDetail:
    """A trend by id, e.g. ``multi_order_world``."""
    return _trend_detail(trend_id)


@router.get("/vital-interests", response_model=Page[VitalInterestDetail], summary="The vital interests")
@cached
def read_vital_interests(request: Request, response: Response, paging: Paging) -> Page[VitalInterestDetail]:
    """The vital interests of national security, the threats that affect each and the goals against them."""
    details = [_interest_detail(interest.id) for interest in current_strategy().vital_interests]
    return paginate(request, response, details, paging)


@router.get(
    "/vital-interests/{interest_id}", response_model=VitalInterestDetail, summary="One vital interest"
)
@cached
def read_vital_interest(
    request: Request, interest_id: str = Path(max_length=100, examples=["territorial_security"])
) -> VitalInterestDetail:
    """A vital interest by id, e.g. ``territorial_security``."""
    return _interest_detail(interest_id)


def _trend_detail(trend_id: str) -> TrendDetail:
    strategy = current_strategy()
    return TrendDetail(
        trend=strategy.trend(trend_id),
        drivers=[driver.id for driver in strategy.drivers_for_trend(trend_id)],
        goals=[goal.number for goal in strategy.goals_for_trend(trend_id)],
    )


def _interest_detail(interest_id: str) -> VitalInterestDetail:
    strategy = current_strategy()
    return VitalInterestDetail(
        vital_interest=strategy.vital_interest(interest_id),
        threats=[threat.number for threat in strategy.threats_for_interest(interest_id)],
        goals=[goal.number for goal in strategy.goals_for_interest(interest_id)],
    )
